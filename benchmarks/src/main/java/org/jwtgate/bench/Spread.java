package org.jwtgate.bench;

import java.util.ArrayList;
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

    /** Round by round, {@code values[i] / baseline[i]}: ratios taken within a round. */
    static List<Double> ratios(List<Double> values, List<Double> baseline) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            ratios.add(values.get(i) / baseline.get(i));
        }
        return ratios;
    }

    /** Round by round, {@code values[i] - baseline[i]}. */
    static List<Double> differences(List<Double> values, List<Double> baseline) {
        List<Double> differences = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            differences.add(values.get(i) - baseline.get(i));
        }
        return differences;
    }

    /** Each value in order, space-separated. */
    static String each(List<Double> values, String format) {
        return String.join(" ", values.stream().map(v -> String.format(Locale.ROOT, format, v)).toList());
    }
}
