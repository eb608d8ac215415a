package org.jwtgate.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The order of a round's runs when ratios are taken within a round: as listed in odd rounds, reversed in even ones.
 * Every pair then keeps the same distance in every round, and which of the two runs first alternates, so a drift in
 * the machine's load during a round weighs on a ratio in one direction as often as in the other. (A rotation, as
 * used before, moved a pair's runs apart in some rounds and put one of them first in most.)
 */
final class RoundOrder {

    private RoundOrder() {
    }

    /** {@code round} counts from 1. */
    static <T> List<T> of(List<T> runs, int round) {
        List<T> order = new ArrayList<>(runs);
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return List.copyOf(order);
    }
}
