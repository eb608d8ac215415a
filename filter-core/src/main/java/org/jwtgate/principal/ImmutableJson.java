package org.jwtgate.principal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, null-tolerant immutable copies of parsed JSON, so claims cannot be altered downstream.
 * The depth is bounded: a signed token nesting arrays 50,000 deep must not overflow the stack.
 */
final class ImmutableJson {

    /** Far beyond any real claim set (Keycloak's deepest is 3), far below a stack overflow. */
    static final int MAX_DEPTH = 64;

    private ImmutableJson() {
    }

    /** @throws IllegalArgumentException when objects and arrays nest deeper than {@link #MAX_DEPTH} */
    static Map<String, Object> copyOf(Map<String, ?> map) {
        return copyOf(map, 1);
    }

    private static Map<String, Object> copyOf(Map<String, ?> map, int depth) {
        if (map.isEmpty()) {
            return Collections.emptyMap(); // one for all: a cached token's claims may hold thousands of {}
        }
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, (int) (map.size() / 0.75f) + 1));
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            copy.put(entry.getKey(), copyValue(entry.getValue(), depth));
        }
        return Collections.unmodifiableMap(copy);
    }

    /**
     * A map or list copied; any other collection or an array, which only a caller of the principal's constructor
     * passes (parsed JSON has none), becomes a list, so that the caller cannot change it afterwards either.
     */
    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value, int depth) {
        boolean array = value != null && value.getClass().isArray();
        if (!(value instanceof Map<?, ?>) && !(value instanceof Collection<?>) && !array) {
            return value;
        }
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("claims nest deeper than " + MAX_DEPTH + " levels");
        }
        if (value instanceof Map<?, ?> map) {
            return copyOf((Map<String, ?>) map, depth + 1);
        }
        int size = array ? Array.getLength(value) : ((Collection<?>) value).size();
        if (size == 0) {
            return Collections.emptyList();
        }
        List<Object> copy = new ArrayList<>(size);
        if (array) {
            for (int i = 0; i < Array.getLength(value); i++) {
                copy.add(copyValue(Array.get(value, i), depth + 1));
            }
        } else {
            for (Object item : (Collection<?>) value) {
                copy.add(copyValue(item, depth + 1));
            }
        }
        return Collections.unmodifiableList(copy);
    }
}
