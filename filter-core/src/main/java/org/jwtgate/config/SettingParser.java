package org.jwtgate.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads one typed value out of {@link Settings}, failing with a message that names the key. */
final class SettingParser {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");

    private final Settings settings;

    SettingParser(Settings settings) {
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    /** The value, or null when unset or blank. */
    String optional(String key) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    String required(String key) {
        String value = optional(key);
        if (value == null) {
            // Where it can be set, as this front end reads it: the module takes context-params, not init-params.
            throw new ConfigurationException("Missing required setting [" + key + "] (" + settings.paramsOrigin() + ", "
                    + ConfigKeys.CONFIG_FILE + ", " + ConfigKeys.environmentName(key) + " or "
                    + ConfigKeys.systemPropertyName(key) + ")");
        }
        return value;
    }

    /** A whole number within the range {@link ConfigKeys#setting(String)} describes. */
    int integer(String key) {
        Setting setting = ConfigKeys.setting(key);
        long min = setting.min();
        long max = setting.max();
        String value = required(key);
        int parsed;
        try {
            // ASCII digits only: Integer.parseInt also takes "+30" and other scripts' digits ("３０").
            if (!WHOLE_NUMBER.matcher(value).matches()) {
                throw new NumberFormatException();
            }
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            // Digits beyond an int are a number out of range, not a malformed one: say the range.
            throw illegal(key, value, WHOLE_NUMBER.matcher(value).matches()
                    ? "a number from " + min + " to " + max : "a whole number");
        }
        // "-0" too: a number with a sign is refused, as "+0" is.
        if (parsed < min || parsed > max || parsed == 0 && value.charAt(0) == '-') {
            throw illegal(key, value, "a number from " + min + " to " + max);
        }
        return parsed;
    }

    boolean bool(String key) {
        String value = required(key);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw illegal(key, value, "true or false");
        };
    }

    /** One of the words {@link ConfigKeys#setting(String)} allows, matched case-insensitively; returned in lower case. */
    String choice(String key) {
        List<String> allowed = ConfigKeys.setting(key).choices();
        String value = required(key);
        String lower = value.toLowerCase(Locale.ROOT);
        for (String candidate : allowed) {
            if (candidate.equals(lower)) {
                return candidate;
            }
        }
        throw illegal(key, value, "one of " + String.join(", ", allowed));
    }

    /**
     * Comma-separated, trimmed, empty items dropped; empty list when unset. A value that is set but holds no
     * item (",", or references that all expanded to nothing) is refused: read as unset it could turn a check
     * off, as an empty {@code jwt.audience} would. Only for a key {@link ConfigKeys#isList} names.
     */
    List<String> list(String key) {
        if (!ConfigKeys.isList(key)) {
            // The loader compares a list's values by their items (SettingsLoader.asRead) as ConfigKeys describes it.
            throw new IllegalStateException("Setting [" + key + "] is read as a comma list, but ConfigKeys does not"
                    + " describe it as one");
        }
        String value = optional(key);
        if (value == null) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                String trimmed = item.trim();
                if (trimmed.indexOf('\n') >= 0 || trimmed.indexOf('\r') >= 0 || trimmed.indexOf('\t') >= 0) {
                    // "api-a<newline>api-b": a comma is missing, and the one item would match nothing. Not quoted:
                    // a redis.nodes item may hold credentials.
                    throw invalid(key, "item " + (items.size() + 1) + " spans lines or holds a tab; separate items with commas");
                }
                items.add(trimmed);
            }
        }
        if (items.isEmpty()) {
            throw illegal(key, value, "at least one comma-separated item");
        }
        return Collections.unmodifiableList(items);
    }

    ConfigurationException illegal(String key, String value, String expected) {
        String shown = ConfigKeys.isSecret(key) ? "****" : UrlSettings.shown(key, value);
        return new ConfigurationException("Illegal value for setting [" + key + "]: [" + shown + "]; expected "
                + expected + " (from " + settings.origin(key) + ")");
    }

    ConfigurationException invalid(String key, String reason) {
        return new ConfigurationException("Invalid setting [" + key + "]: " + reason + " (from " + settings.origin(key) + ")");
    }
}
