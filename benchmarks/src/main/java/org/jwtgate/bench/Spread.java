package org.jwtgate.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Median and range of a few measurements (rounds), printed as {@code median [min - max]}. */
final class Spread {

    private Spread() {
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** {@code format} is a {@link String#format} pattern for one number, e.g. {@code %.3f}. */
    static String of(List<Double> values, String format) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return String.format(Locale.ROOT, format + " [" + format + " - " + format + "]", median(values), min, max);
    }

    /** Each value in order, space-separated. */
    static String each(List<Double> values, String format) {
        return String.join(" ", values.stream().map(v -> String.format(Locale.ROOT, format, v)).toList());
    }
}
