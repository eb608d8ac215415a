package org.jwtgate.config;

import java.util.List;
import java.util.Objects;

/**
 * The one description of a setting: its key, whether it is required, its default, its format or
 * range, whether it is a secret, and what it means. {@link ConfigKeys#settings()} lists them all;
 * the parser takes its ranges from here, and the configuration table of {@code docs/configuration.md}
 * and {@code conf/web.xml} are checked against it by tests, so the code and the docs cannot drift.
 *
 * <pre>{@code
 * Setting skew = ConfigKeys.setting(ConfigKeys.JWT_CLOCK_SKEW_SECONDS);
 * skew.defaultValue();  // "30"
 * skew.min();           // 0
 * skew.max();           // 300
 * }</pre>
 *
 * @param key               the name: init-param, properties key, {@code jwtgate.<key>}, {@code JWTGATE_<KEY>}
 * @param requirement       when it must be set
 * @param defaultValue      the value used when unset, or {@code null} when there is none
 * @param documentedDefault how the docs state the default when it is not a plain value (e.g. "inferred from the key"), or {@code null}
 * @param format            what a value looks like, for text settings; {@code null} for numbers (see {@link #min()},
 *                          {@link #max()}) and choices (see {@link #choices()})
 * @param choices           the allowed words of a choice setting (matched case-insensitively), else empty
 * @param min               the smallest value of a number setting
 * @param max               the largest value of a number setting
 * @param secret            never printed, logged or put in an exception message
 * @param meaning           one line: what it does
 * @since 1.0.0
 */
public record Setting(String key, Requirement requirement, String defaultValue, String documentedDefault, String format,
                      List<String> choices, long min, long max, boolean secret, String meaning) {

    /** When a setting must be set. */
    public enum Requirement {
        /** May be left unset: its default applies, or the feature it configures is off. */
        OPTIONAL("no"),
        /** Must be set: the start fails without it. */
        REQUIRED("**yes**"),
        /** Exactly one of {@code jwt.secret}, {@code jwt.public-key}, {@code jwt.jwks-uri}. */
        ONE_KEY_SOURCE("one key source"),
        /** Required when {@code revocation.store} is {@code redis-cluster} or {@code redis}. */
        WITH_REDIS_STORE("with a Redis store");

        private final String documented;

        Requirement(String documented) {
            this.documented = documented;
        }

        /**
         * The text of the docs' "required" column.
         *
         * @return the column's text, such as {@code no} or {@code **yes**} (Markdown)
         */
        public String documented() {
            return documented;
        }
    }

    /**
     * Checks that key, requirement and meaning are present and copies the choices. JwtGate's own settings are
     * listed by {@link ConfigKeys#settings()}; an application has no need to build one.
     *
     * @param key               the name, as an init-param
     * @param requirement       when it must be set
     * @param defaultValue      the value used when unset, or {@code null}
     * @param documentedDefault how the docs state the default, or {@code null} for the plain value
     * @param format            what a text value looks like; {@code null} for numbers and choices
     * @param choices           the allowed words of a choice setting, else empty
     * @param min               the smallest value of a number setting
     * @param max               the largest value of a number setting
     * @param secret            whether it is a secret: never printed, logged or put in a message
     * @param meaning           one line: what it does
     * @throws NullPointerException when {@code key}, {@code requirement}, {@code meaning} or {@code choices} is null
     */
    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(meaning, "meaning");
        choices = List.copyOf(choices);
    }

    static Setting text(String key, String defaultValue, String format, String meaning) {
        return new Setting(key, Requirement.OPTIONAL, defaultValue, null, Objects.requireNonNull(format), List.of(),
                0, 0, false, meaning);
    }

    static Setting number(String key, Integer defaultValue, long min, long max, String meaning) {
        return new Setting(key, Requirement.OPTIONAL, defaultValue == null ? null : defaultValue.toString(), null, null,
                List.of(), min, max, false, meaning);
    }

    /** One of {@code choices}, the first being the default unless {@code defaultValue} says otherwise. */
    static Setting choice(String key, String defaultValue, List<String> choices, String meaning) {
        return new Setting(key, Requirement.OPTIONAL, defaultValue, null, null, choices, 0, 0, false, meaning);
    }

    static Setting bool(String key, boolean defaultValue, String meaning) {
        return choice(key, String.valueOf(defaultValue), List.of("true", "false"), meaning);
    }

    Setting require(Requirement requirement) {
        return new Setting(key, requirement, defaultValue, documentedDefault, format, choices, min, max, secret, meaning);
    }

    Setting documentDefaultAs(String documentedDefault) {
        return new Setting(key, requirement, defaultValue, documentedDefault, format, choices, min, max, secret, meaning);
    }

    Setting asSecret() {
        return new Setting(key, requirement, defaultValue, documentedDefault, format, choices, min, max, true, meaning);
    }

    /**
     * Whether this is a number setting.
     *
     * @return {@code true} when a value must be a whole number from {@link #min()} to {@link #max()}
     */
    public boolean isNumber() {
        return format == null && choices.isEmpty();
    }

    /**
     * Whether this is a choice setting (booleans included).
     *
     * @return {@code true} when a value must be one of {@link #choices()}
     */
    public boolean isChoice() {
        return !choices.isEmpty();
    }

    /**
     * The docs' "format" column: the range of a number ({@code 10–86400}), the words of a choice
     * ({@code `closed` \| `open`}, or {@code boolean}), else the format; marked when secret.
     *
     * @return the column's Markdown text, ending {@code (secret)} for a secret
     */
    public String documentedFormat() {
        String shown;
        if (isNumber()) {
            shown = min + "–" + max;
        } else if (choices.equals(List.of("true", "false"))) {
            shown = "boolean";
        } else if (isChoice()) {
            shown = "`" + String.join("` \\| `", choices) + "`";
        } else {
            shown = format;
        }
        return secret ? shown + " (secret)" : shown;
    }

    /**
     * The docs' "default" column.
     *
     * @return the stated default, else the value in backticks, else a dash ({@code —}) when there is none
     */
    public String documentedDefaultValue() {
        if (documentedDefault != null) {
            return documentedDefault;
        }
        return defaultValue == null ? "—" : "`" + defaultValue + "`";
    }
}
