package org.jwtgate.internal.collect;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded map without a thread or a sweep: two generations of at most {@code generationSize} entries;
 * when the young one is full it becomes the old one and the previous old one is dropped whole. An entry
 * found in the old generation moves to the young one, so what is used keeps living. About
 * {@code 2 × generationSize} entries are held at most: threads adding at the same moment may each put one
 * more into a generation that just filled. Thread-safe; lookups take no lock.
 */
public final class TwoGenerationMap<K, V> {

    private final int generationSize;
    private volatile ConcurrentHashMap<K, V> young = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<K, V> old = new ConcurrentHashMap<>();

    public TwoGenerationMap(int generationSize) {
        if (generationSize < 1) {
            throw new IllegalArgumentException("generationSize must be at least 1");
        }
        this.generationSize = generationSize;
    }

    /** The value of {@code key}, or null; a value found in the old generation is moved to the young one. */
    public V get(K key) {
        V value = young.get(key);
        if (value == null) {
            value = old.get(key);
            if (value != null) {
                put(key, value);
            }
        }
        return value;
    }

    public void put(K key, V value) {
        ConcurrentHashMap<K, V> generation = young;
        if (generation.size() >= generationSize) {
            synchronized (this) {
                if (young == generation) {
                    old = generation;
                    young = new ConcurrentHashMap<>();
                }
            }
        }
        young.put(key, value);
    }

    public void remove(K key) {
        young.remove(key);
        old.remove(key);
    }

    /** Entries held now, both generations (an entry may be counted twice while being moved). */
    public int size() {
        return young.size() + old.size();
    }
}
