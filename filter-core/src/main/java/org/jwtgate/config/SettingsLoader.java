package org.jwtgate.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jwtgate.internal.log.Log;

/**
 * Merges the configuration sources, highest precedence first: environment variable
 * {@code JWTGATE_<KEY>}, system property {@code jwtgate.<key>}, the properties file named by
 * {@code config.file}, the init-params. Then expands {@code ${env:NAME}}, {@code ${sys:name}}
 * and {@code ${file:/path}} references. Any unknown key in any source is fatal.
 */
final class SettingsLoader {

    /**
     * The keys whose value may span lines: a PEM, a secret, and the lists (a web.xml value written over several
     * lines; SettingParser refuses an item that spans lines). A line break in any other value, such as
     * jwt.issuer, would make every token fail with nothing said at start-up.
     */
    private static final Set<String> MAY_SPAN_LINES = Set.of(ConfigKeys.JWT_PUBLIC_KEY, ConfigKeys.JWT_SECRET,
            ConfigKeys.DPOP_NONCE_SECRET, ConfigKeys.REDIS_PASSWORD, ConfigKeys.JWT_ALGORITHMS, ConfigKeys.JWT_AUDIENCE,
            ConfigKeys.JWT_REQUIRED_CLAIMS, ConfigKeys.PATHS_EXCLUDE, ConfigKeys.PATHS_OPTIONAL, ConfigKeys.PATHS_ROLES,
            ConfigKeys.DPOP_ALGORITHMS, ConfigKeys.REDIS_NODES);
    /**
     * A name may hold a dollar sign, not "${": a nested reference (${file:${env:P}}) is malformed, not a file's name.
     * Possessive: a plain alternation loop recursed once per character, and a long value overflowed the stack.
     */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|sys|file):((?:[^}$]++|\\$(?!\\{))*+)}");

    private SettingsLoader() {
    }

    /** The origin of the values the front end hands over, in messages: a filter's init-params. */
    static final String INIT_PARAM = "init-param";
    /** The origin of a properties file's values, in messages: followed by its path. */
    private static final String PROPERTIES_FILE_ORIGIN = "properties file ";
    /** {@code JWTGATE_JWT_ISSUER} → {@code jwt.issuer}, for every setting. */
    private static final Map<String, String> KEYS_BY_ENVIRONMENT_NAME = keysByEnvironmentName();
    /** The origin of {@link Settings#of}'s values, which no front end reads. */
    static final String IN_CODE = "settings given in code";

    static Settings load(Map<String, String> initParams, ConfigSources sources) {
        return load(initParams, INIT_PARAM, sources);
    }

    /** @param origin what {@code initParams} are called in messages, e.g. {@code init-param} */
    static Settings load(Map<String, String> initParams, String origin, ConfigSources sources) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new HashMap<>();

        putAll(values, origins, initParams, origin);
        // What the application itself gave (init-params, its own properties file), to tell when a JVM-wide value
        // replaces it. A config.file named by a JWTGATE_CONFIG_FILE variable or a jwtgate.config.file system property
        // applies to every application of the JVM as they do: its file's values are JVM-wide too.
        Map<String, String> ownValues = null;
        Map<String, String> ownOrigins = null;
        Map<String, String> jvmWideFiles = new HashMap<>();
        Found configFile = configFile(sources, values, origins);
        if (configFile != null) {
            String path = resolveReferences(ConfigKeys.CONFIG_FILE, configFile.value().strip(), configFile.origin(), sources);
            if (path.isBlank()) { // a reference to an empty variable: the working directory would be read
                throw empty(ConfigKeys.CONFIG_FILE, configFile.origin());
            }
            Map<String, String> fileValues = readPropertiesFile(path, configFile.origin());
            if (isJvmWide(configFile.origin())) {
                ownValues = new HashMap<>(values);
                ownOrigins = new HashMap<>(origins);
                jvmWideFiles.put(PROPERTIES_FILE_ORIGIN + path, configFile.origin());
            }
            putAll(values, origins, fileValues, PROPERTIES_FILE_ORIGIN + path);
        }
        if (ownValues == null) {
            ownValues = new HashMap<>(values);
            ownOrigins = new HashMap<>(origins);
        }
        putAll(values, origins, systemPropertyValues(sources), "system property");
        putAll(values, origins, environmentValues(sources), "environment variable");

        Map<String, String> resolved = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = entry.getKey();
            String value = resolveReferences(key, entry.getValue(), origins.get(key), sources);
            // Empty would read as unset, and for a setting without a default that switches a check off
            // (an empty JWTGATE_JWT_AUDIENCE over an init-param's audience). Say so instead.
            if (value.isBlank() && !key.equals(ConfigKeys.TOKEN_COOKIE)) {
                throw empty(key, origins.get(key));
            }
            requireDecoded(key, entry.getValue(), value, origins.get(key));
            requireVisible(key, value, origins.get(key));
            requireNoSecret(key, value, origins.get(key));
            resolved.put(key, value);
        }
        List<String> replaced = replacedByJvmWideValues(resolved, origins, ownValues, ownOrigins, jvmWideFiles, sources);
        return new Settings(resolved, origins, origin, replaced);
    }

    /** Whether a value's origin applies to every application of the JVM: a system property or environment variable. */
    private static boolean isJvmWide(String origin) {
        return origin.startsWith("environment variable ") || origin.startsWith("system property ");
    }

    /**
     * Each setting the application gave (as an init-param or in its own properties file) that a system property, an
     * environment variable or the properties file one of them names replaced with another value in force, as the
     * start-up WARN names it: they apply to every application of the JVM, and one meant for what the applications
     * share (the store) silently replaced each one's own (its {@code redis.key-prefix}: two applications then shared
     * their user revocations). Named by setting and both sources only, never a value: the application's own value was
     * never checked (a private JWK pasted as {@code jwt.public-key}), and the start-up line shows the value in force,
     * masked. Two values the settings read alike ({@link #asRead}) replace nothing. The documented precedence stands:
     * this only says so.
     *
     * @param resolved     the values in force, references expanded
     * @param jvmWideFiles the origin of a JVM-wide config.file's values, with the origin of config.file itself
     */
    private static List<String> replacedByJvmWideValues(Map<String, String> resolved, Map<String, String> origins,
                                                        Map<String, String> ownValues, Map<String, String> ownOrigins,
                                                        Map<String, String> jvmWideFiles, ConfigSources sources) {
        List<String> replaced = new ArrayList<>();
        for (Map.Entry<String, String> entry : resolved.entrySet()) {
            String key = entry.getKey();
            String own = ownValues.get(key);
            String origin = origins.get(key);
            if (own == null || !(isJvmWide(origin) || jvmWideFiles.containsKey(origin))) {
                continue;
            }
            Object ownRead;
            try {
                ownRead = asRead(key, resolveReferences(key, own, ownOrigins.get(key), sources));
            } catch (RuntimeException e) {
                ownRead = null; // a reference that finds nothing, a file that cannot be read: not the value in force
            }
            if (ownRead != null && ownRead.equals(asRead(key, entry.getValue()))) {
                continue;
            }
            String named = jvmWideFiles.containsKey(origin) ? origin + " (from " + jvmWideFiles.get(origin) + ")" : origin;
            replaced.add(Log.escapedInvisibles("[" + key + "] from " + named + " replaces the value from "
                    + ownOrigins.get(key)));
        }
        return replaced;
    }

    /**
     * A value, references expanded, as the settings read it, by the same parsing {@link JwtGateConfig} applies: a list
     * split at its commas and trimmed, a choice or boolean in lower case, a number as a number, path patterns and role
     * rules as parsed, a PEM public key as its key (written with {@code \n} escapes or line breaks, inline or in a
     * file), other text trimmed. Null when it would not be read (refused, or empty): never equal to the value in force.
     */
    static Object asRead(String key, String value) {
        SettingParser parser = new SettingParser(new Settings(Map.of(key, value), Map.of(key, "compared"), "compared",
                List.of()));
        try {
            Setting setting = ConfigKeys.setting(key);
            if (key.equals(ConfigKeys.JWT_PUBLIC_KEY)) {
                return ByteBuffer.wrap(PemKeys.parse(parser.required(key)).getEncoded());
            }
            if (key.equals(ConfigKeys.PATHS_EXCLUDE) || key.equals(ConfigKeys.PATHS_OPTIONAL)) {
                return PathRules.parsePatterns(parser.required(key)).toString();
            }
            if (key.equals(ConfigKeys.PATHS_ROLES)) {
                // Each rule's pattern and its set of roles: "analyst|admin" and "admin|analyst" are one rule.
                return PathRules.parseRoleRules(parser.required(key)).stream()
                        .map(rule -> List.of(rule.pattern().toString(), rule.anyOfRoles())).toList();
            }
            if (ConfigKeys.isList(key)) {
                return parser.list(key);
            }
            if (setting.isChoice()) {
                return parser.choice(key);
            }
            if (setting.isNumber()) {
                return parser.integer(key);
            }
            return parser.optional(key);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ConfigurationException empty(String key, String origin) {
        return new ConfigurationException("Setting [" + key + "] is empty in " + origin + "; give it a value or remove it");
    }

    /**
     * A secret written {@code base64:…} belongs to a secret's setting: given to another one (the wrong init-param), its
     * refusal, or the start-up line if it was taken (a realm, an issuer), quoted it, and a message quoting a part of
     * the value (a path pattern split at a slash) could not be masked by the prefix. Refused, the value not shown. Not
     * {@code jwt.public-key}: a public key written so (its DER in base64) is no secret, and its own refusal says what
     * the setting takes (a PEM), with the value masked all the same.
     */
    private static void requireNoSecret(String key, String value, String origin) {
        if (!ConfigKeys.isSecret(key) && !key.equals(ConfigKeys.JWT_PUBLIC_KEY) && ConfigKeys.all().contains(key)
                && !WrittenSecrets.masked(value).equals(value)) {
            throw new ConfigurationException("Illegal value for setting [" + key + "]: [" + SecretKeys.BASE64_PREFIX
                    + "****]; a secret, which only " + ConfigKeys.all().stream().filter(ConfigKeys::isSecret)
                    .map(secret -> "[" + secret + "]").collect(Collectors.joining(", "))
                    + " take (from " + origin + ")");
        }
    }

    /** Letters and a symbol by category that render as nothing: the Hangul fillers and the blank Braille pattern. */
    private static final String BLANK_LETTERS = "\u115F\u1160\u3164\uFFA0\u2800";

    /** What U+FFFD in an environment variable or a system property stands for: said once for both messages. */
    private static final String UNDECODED_BYTES =
            "bytes this JVM's locale could not decode (no LANG, as under systemd or cron?)";

    /**
     * Refuses U+FFFD, what the JVM reads for bytes its locale cannot decode: an environment variable, a -D or an
     * argument holding "josé" in a JVM started without a UTF-8 locale (systemd, cron: ASCII on JDK 17 and 25 alike)
     * arrives as "jos" and U+FFFD twice, and a secret, an issuer or a role so read fails every token with nothing said.
     * A file is read as strict UTF-8, so one there was written so. Not in an inline PEM: its parser reads the block
     * alone, whose characters it checks, and text around it (openssl's "friendlyName: Schlüssel") is skipped.
     */
    private static void requireDecoded(String key, String written, String value, String origin) {
        int undecoded = value.indexOf('\uFFFD');
        if (undecoded < 0 || (key.equals(ConfigKeys.JWT_PUBLIC_KEY) && value.contains("-----BEGIN"))) {
            return;
        }
        String where = "Setting [" + key + "] in " + origin + " holds U+FFFD at position " + (undecoded + 1);
        if (written.indexOf('\uFFFD') < 0) { // from a ${file:}, ${env:} or ${sys:} reference
            throw new ConfigurationException(where + ", from what it refers to: a replacement character written so in"
                    + " the file, or " + UNDECODED_BYTES + " in the environment variable or system property; write the"
                    + " character meant, or run the JVM with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
        }
        if (isJvmWide(origin)) {
            throw new ConfigurationException(where + ", which stands for " + UNDECODED_BYTES + "; run the JVM with a"
                    + " UTF-8 locale, e.g. LC_ALL=C.UTF-8, or give the value in a file: ${file:/path}");
        }
        // A properties file and web.xml are read as UTF-8 (strict, or by an XML parser), and code gives it as written.
        throw new ConfigurationException(where + ", a replacement character written so where it is given (or read"
                + " undecoded by what supplied it); write the character meant");
    }

    /**
     * Refuses a character nobody sees in a value (a zero-width space, a no-break space, a byte-order mark, a
     * control character other than a PEM's line breaks and tabs): pasted along with an issuer or an audience it
     * makes every token fail with nothing said at start-up. The message gives its position, not the value.
     */
    private static void requireVisible(String key, String value, String origin) {
        // By code point: a format character beyond the basic plane (the tag characters U+E0000-U+E007F) is two
        // chars, each of which alone is only a surrogate.
        for (int i = 0; i < value.length(); i += Character.charCount(value.codePointAt(i))) {
            int c = value.codePointAt(i);
            int type = Character.getType(c);
            // U+200C and U+200D join letters in Persian and Indic names: not refused.
            // A lone surrogate (an init-param or a system property can hold one) is no character at all.
            boolean invisible = type == Character.SURROGATE
                    || (type == Character.FORMAT && c != '\u200c' && c != '\u200d')
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || (type == Character.SPACE_SEPARATOR && c != ' ')
                    || (type == Character.CONTROL && !(MAY_SPAN_LINES.contains(key) && (c == '\n' || c == '\r' || c == '\t')))
                    || BLANK_LETTERS.indexOf(c) >= 0;
            if (invisible) {
                throw new ConfigurationException("Setting [" + key + "] in " + origin + " holds an invisible character "
                        + String.format("U+%04X", c) + " at position " + (i + 1) + "; remove it");
            }
        }
    }

    /**
     * Whether {@code key} looks like a setting name: words of {@code [a-z0-9_]} joined by single dashes, at least two
     * of them by a dot (every key has one but realm; without the dot, the wrapped second line of a hex secret, xxd -p,
     * would pass for a name). By hand, not by a regular expression: its repeated groups recursed once a segment, and
     * a key of a few thousand dots overflowed the stack at start-up.
     */
    private static boolean isKeyShaped(String key) {
        boolean dot = false;
        char previous = '.';
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean separator = c == '.' || c == '-';
            if (separator ? previous == '.' || previous == '-' : !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
            dot |= c == '.';
            previous = c;
        }
        return dot && previous != '.' && previous != '-';
    }

    private static void putAll(Map<String, String> values, Map<String, String> origins,
                               Map<String, String> source, String origin) {
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> entry : source.entrySet()) {
            if (entry.getKey() == null) {
                throw new ConfigurationException("A setting without a name in " + origin);
            }
            String key = entry.getKey().strip();
            if (!ConfigKeys.isKnown(key) && origin.startsWith(PROPERTIES_FILE_ORIGIN) && "".equals(entry.getValue())) {
                // A line without '=' or ':' may be the rest of a value that went on to a second line, a secret's
                // perhaps ("correct-horse" then "staple.words.here"): not named. A typo of a name left empty
                // ("jwt.isuer=") is still told what it resembles.
                String nearest = resembled(key);
                throw new ConfigurationException("Unknown setting in " + origin + ": a line without a value, or a name"
                        + " with an empty value (not shown: it may be the rest of a value written on two lines)"
                        + (nearest != null ? "; did you mean [" + nearest + "]?" : "; join it to its line, or remove it"));
            }
            requireKnown(key, origin);
            if (!seen.add(key)) {
                // "jwt.issuer" and "jwt.issuer " in one source: one of them would win unseen.
                throw new ConfigurationException("Setting [" + key + "] is given twice in " + origin
                        + " (the names differ only in spaces); keep one");
            }
            String named = origin.equals("environment variable") ? "environment variable " + ConfigKeys.environmentName(key)
                    : origin.equals("system property") ? "system property " + ConfigKeys.systemPropertyName(key)
                    : origin;
            if (entry.getValue() == null) {
                // Jetty hands an <init-param> without <param-value> as null: dropped, jwt.audience would switch off.
                throw new ConfigurationException("Setting [" + key + "] has no value in " + named
                        + "; give it one or remove it");
            }
            values.put(key, entry.getValue().strip());
            origins.put(key, named);
        }
    }

    /** The setting an unknown name is meant for: written as elsewhere (JWTGATE_JWT_ISSUER), else the nearest name. */
    private static String resembled(String key) {
        String otherForm = settingNamedAsElsewhere(key);
        return otherForm != null ? otherForm : ConfigKeys.nearest(key);
    }

    private static void requireKnown(String key, String origin) {
        if (ConfigKeys.isKnown(key)) {
            return;
        }
        String nearest = resembled(key);
        // A line of a properties file is a key even when it is the rest of a value: the second line of a
        // base64 secret wrapped at 64 columns (openssl rand -base64 64) is read as a key. Quoted only when it
        // looks like a setting name or a typo of one.
        String shown = isKeyShaped(key) || nearest != null ? "[" + Log.escapedInvisibles(key) + "]"
                : "(name not shown: it does not look like a setting name and may be part of a value, such as the"
                + " wrapped second line of a secret)";
        throw new ConfigurationException("Unknown setting " + shown + " in " + origin
                + (nearest != null ? "; did you mean [" + nearest + "]?" : ""));
    }

    /**
     * The setting a name means when it is that setting's name in another source: its environment variable
     * ({@code JWTGATE_JWT_ISSUER}, a line copied from a .env file) or its system property and context-param
     * ({@code jwtgate.jwt.issuer}); else null. Such a name was refused with no suggestion, the variable's not even
     * shown.
     */
    private static String settingNamedAsElsewhere(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith(ConfigKeys.SYSTEM_PROPERTY_PREFIX)
                && ConfigKeys.isKnown(lower.substring(ConfigKeys.SYSTEM_PROPERTY_PREFIX.length()))) {
            return lower.substring(ConfigKeys.SYSTEM_PROPERTY_PREFIX.length());
        }
        return KEYS_BY_ENVIRONMENT_NAME.get(name.toUpperCase(Locale.ROOT));
    }

    /** A value and where it came from, for messages. */
    private record Found(String value, String origin) {
    }

    /**
     * config.file and its origin, or null when unset or blank. It may itself come from any source but the file.
     *
     * @param initParams the init-params as {@link #putAll} read them: names stripped ("config.file " is config.file)
     */
    private static Found configFile(ConfigSources sources, Map<String, String> initParams, Map<String, String> origins) {
        String variable = ConfigKeys.environmentName(ConfigKeys.CONFIG_FILE);
        String property = ConfigKeys.systemPropertyName(ConfigKeys.CONFIG_FILE);
        String fromEnvironment = sources.environmentVariable(variable);
        String fromProperty = sources.systemProperty(property);
        Found found = fromEnvironment != null ? new Found(fromEnvironment, "environment variable " + variable)
                : fromProperty != null ? new Found(fromProperty, "system property " + property)
                : new Found(initParams.get(ConfigKeys.CONFIG_FILE), origins.get(ConfigKeys.CONFIG_FILE));
        return found.value() == null || found.value().isBlank() ? null : found;
    }

    private static Map<String, String> environmentValues(ConfigSources sources) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : sources.environment().entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith(ConfigKeys.ENVIRONMENT_PREFIX)) {
                // jwtgate_jwt_issuer, or jwtgate.jwt.issuer (Docker and Kubernetes take dotted names), was meant for
                // JwtGate but is never read (the names are upper case, with '_'): say so.
                String meant = settingNamedAsElsewhere(name);
                if (meant != null) {
                    throw new ConfigurationException("Environment variable [" + name + "] is not read: JwtGate's "
                            + "variables are upper case, with '_' for '.' and '-'; did you mean ["
                            + ConfigKeys.environmentName(meant) + "]?");
                }
                continue;
            }
            String key = KEYS_BY_ENVIRONMENT_NAME.get(name);
            if (key == null) {
                String nearest = ConfigKeys.nearest(name.substring(ConfigKeys.ENVIRONMENT_PREFIX.length()));
                throw new ConfigurationException("Unknown environment variable [" + name + "]"
                        + (nearest != null ? "; did you mean [" + ConfigKeys.environmentName(nearest) + "]?" : ""));
            }
            values.put(key, entry.getValue());
        }
        return values;
    }

    private static Map<String, String> keysByEnvironmentName() {
        Map<String, String> byName = new HashMap<>();
        for (String key : ConfigKeys.all()) {
            byName.put(ConfigKeys.environmentName(key), key);
        }
        return Map.copyOf(byName);
    }

    private static Map<String, String> systemPropertyValues(ConfigSources sources) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : sources.systemProperties().entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith(ConfigKeys.SYSTEM_PROPERTY_PREFIX)) {
                // -DJWTGATE.JWT.ISSUER or -DJWTGATE_JWT_ISSUER was meant for JwtGate but is never read: say so.
                String meant = meantSystemProperty(name);
                if (meant != null) {
                    throw new ConfigurationException("System property [" + name + "] is not read: JwtGate's system "
                            + "properties are named " + ConfigKeys.SYSTEM_PROPERTY_PREFIX + "<key>, in lower case; did you mean ["
                            + meant + "]?");
                }
            } else {
                String key = name.substring(ConfigKeys.SYSTEM_PROPERTY_PREFIX.length());
                if (!ConfigKeys.isKnown(key)) {
                    String nearest = ConfigKeys.nearest(key);
                    throw new ConfigurationException("Unknown system property [" + name + "]"
                            + (nearest != null ? "; did you mean [" + ConfigKeys.systemPropertyName(nearest) + "]?" : ""));
                }
                values.put(key, entry.getValue());
            }
        }
        return values;
    }

    /**
     * The system property a name not read means, when it is a setting's in another case ({@code JWTGATE.JWT.ISSUER})
     * or a setting's environment variable name ({@code JWTGATE_JWT_ISSUER}); else null: a name that is no setting's
     * in any case ({@code jwtgate_home}) stays someone else's.
     */
    private static String meantSystemProperty(String name) {
        String key = settingNamedAsElsewhere(name);
        return key == null ? null : ConfigKeys.systemPropertyName(key);
    }

    /** @param origin where config.file came from, for messages */
    private static Map<String, String> readPropertiesFile(String path, String origin) {
        // The names in the order of their lines: Properties keeps none.
        List<String> names = new ArrayList<>();
        Properties properties = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                // Properties keeps the last of two lines silently: a later "paths.exclude=/*" would win unseen.
                // Only settings' names: a repeated unknown line may be the rest of a secret written on several
                // lines, which the unknown-setting check then refuses without showing it.
                if (containsKey(key) && ConfigKeys.isKnown(String.valueOf(key).strip())) {
                    throw new DuplicateSettingException(String.valueOf(key));
                }
                names.add(String.valueOf(key));
                return super.put(key, value);
            }
        };
        String text;
        try {
            text = text(ConfigFiles.read(Path.of(path)));
            properties.load(new StringReader(text));
        } catch (ConfigFiles.TooLargeException e) {
            throw new ConfigurationException("Cannot read [" + ConfigKeys.CONFIG_FILE + "] file [" + path + "]: it is "
                    + e.getMessage() + ", the limit for a properties file (from " + origin + ")");
        } catch (DuplicateSettingException e) {
            throw new ConfigurationException("Setting [" + e.getMessage() + "] is given twice in the properties file ["
                    + path + "]; keep one line");
        } catch (CharacterCodingException e) {
            // Not ISO-8859-1, as java.util.Properties reads a stream: the docs say UTF-8.
            throw new ConfigurationException("Cannot read [" + ConfigKeys.CONFIG_FILE + "] file [" + path + "]: it is not"
                    + " UTF-8 text; save it as UTF-8 (from " + origin + ")");
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read [" + ConfigKeys.CONFIG_FILE + "] file [" + path + "]: "
                    + ConfigFiles.whyUnreadable(Path.of(path), e) + " (from " + origin + ")");
        } catch (InvalidPathException e) {
            // A NUL in the path: no file was opened, and the path is not printed (it holds a control character).
            throw new ConfigurationException("Cannot read [" + ConfigKeys.CONFIG_FILE + "] file: "
                    + ConfigFiles.whyInvalid(path, e) + " (from " + origin + ")");
        } catch (IllegalArgumentException e) {
            // java.util.Properties met a backslash and a u not followed by four hex digits.
            throw new ConfigurationException("Cannot read [" + ConfigKeys.CONFIG_FILE + "] file [" + path + "]: it holds"
                    + " a malformed \\uXXXX escape (a backslash and a u must start four hex digits; write a backslash as"
                    + " \\\\) (from " + origin + ")");
        } catch (RuntimeException e) {
            throw new ConfigurationException("Cannot read [" + ConfigKeys.CONFIG_FILE + "] file [" + path + "]: "
                    + e.getClass().getSimpleName() + " (from " + origin + ")");
        }
        List<int[]> lines = logicalLines(text);
        requireNoSwallowedSetting(text, lines, path);
        requireNoWrappedSecret(names, lines, properties, path);
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.strip().equals(ConfigKeys.CONFIG_FILE)) { // "config.file\ =": names are stripped when merged
                throw new ConfigurationException("Setting [" + ConfigKeys.CONFIG_FILE
                        + "] cannot be set inside the properties file [" + path + "]");
            }
            values.put(name, properties.getProperty(name));
        }
        return values;
    }

    /**
     * Expands every {@code ${env:…}}, {@code ${sys:…}} and {@code ${file:…}} in a value.
     *
     * @param origin where the value came from, for messages: the key may be set in several sources
     */
    static String resolveReferences(String key, String value, String origin, ConfigSources sources) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        // Checked on the written value only: a resolved secret may itself contain "${".
        if (REFERENCE.matcher(value).replaceAll("").contains("${")) {
            throw new ConfigurationException("Setting [" + key + "] has a malformed reference"
                    + (ConfigKeys.isSecret(key) ? "" : " [" + UrlSettings.shown(key, value) + "]")
                    + "; use ${env:NAME}, ${sys:name} or ${file:/path} (from " + origin + ")");
        }
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String kind = matcher.group(1);
            String name = matcher.group(2).trim();
            String replacement = switch (kind) {
                case "env" -> sources.environmentVariable(name);
                case "sys" -> sources.systemProperty(name);
                default -> readReferencedFile(key, name, origin);
            };
            if (replacement == null) {
                throw new ConfigurationException("Setting [" + key + "] refers to "
                        + (kind.equals("env") ? "environment variable" : "system property")
                        + " [" + name + "], which is not set (from " + origin + ")");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString().trim();
    }

    private static String readReferencedFile(String key, String path, String origin) {
        try {
            return text(ConfigFiles.read(Path.of(path))).trim();
        } catch (ConfigFiles.TooLargeException e) {
            throw new ConfigurationException("Setting [" + key + "] refers to file [" + path + "], which is "
                    + e.getMessage() + ", the limit for a value (from " + origin + ")");
        } catch (CharacterCodingException e) {
            // Raw key bytes (head -c 32 /dev/urandom): the value is text.
            throw new ConfigurationException("Setting [" + key + "] refers to file [" + path + "], which is not UTF-8 text"
                    + (ConfigKeys.isSecret(key) ? " (for a binary key, write base64: and its base64 in the file)" : "")
                    + " (from " + origin + ")");
        } catch (IOException e) {
            throw new ConfigurationException("Setting [" + key + "] refers to file [" + path
                    + "], which cannot be read: " + ConfigFiles.whyUnreadable(Path.of(path), e) + " (from " + origin + ")");
        } catch (InvalidPathException e) {
            throw new ConfigurationException("Setting [" + key + "] refers to file [" + path + "], which cannot be read: "
                    + ConfigFiles.whyInvalid(path, e) + " (from " + origin + ")");
        } catch (RuntimeException e) {
            throw new ConfigurationException("Setting [" + key + "] refers to file [" + path
                    + "], which cannot be read: " + e.getClass().getSimpleName() + " (from " + origin + ")");
        }
    }

    /**
     * Strict UTF-8, as Files.readString: malformed bytes are refused, not replaced. Without a byte-order mark
     * (Windows editors): it would start a properties file's first key, and is no part of a secret or a PEM. A NUL
     * is refused too: UTF-16 text without a byte-order mark decodes as UTF-8 with a NUL in every other byte, and
     * was refused as an unknown setting or an invisible character U+0000, naming neither the file nor its encoding.
     */
    private static String text(byte[] bytes) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        if (text.indexOf('\0') >= 0) {
            throw new CharacterCodingException();
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * Refuses, without naming it, an unknown name on the line right after a secret's (or after such lines) that the
     * unknown-setting refusal would quote: a secret an editor wrapped on to a second line without a trailing backslash
     * ("redis.password=tango.umbrella.violet", then "quartz.lantern.cobalt orbit.walnut") makes that line a setting of
     * its own, whose key-shaped name was quoted, and a part of the secret reached the log. The line is named by its
     * number instead.
     *
     * @param names the names of the file's lines, in their order, as {@link Properties#load} put them
     * @param lines the first and last line number of each logical line, in the same order
     */
    private static void requireNoWrappedSecret(List<String> names, List<int[]> lines,
                                               Properties properties, String path) {
        if (names.size() != lines.size()) {
            return; // read otherwise than Properties reads it: no line number to give (the name check still hides most)
        }
        String secret = null;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip();
            boolean adjacent = i > 0 && lines.get(i)[0] == lines.get(i - 1)[1] + 1;
            if (ConfigKeys.isKnown(name)) {
                secret = ConfigKeys.isSecret(name) ? name : null;
            } else if (secret != null && adjacent) {
                // Else requireKnown and putAll do not show the name either, and say what the line may be. The next
                // line may be the secret's too: secret stays.
                String nearest = resembled(name);
                if (!"".equals(properties.getProperty(names.get(i))) && (isKeyShaped(name) || nearest != null)) {
                    // A typo of a setting on the line after a secret is the usual layout: told what it resembles.
                    throw new ConfigurationException("Unknown setting on line " + lines.get(i)[0] + " of properties file "
                            + path + ", just after the secret [" + secret + "] (not shown: it may be the rest of the"
                            + " secret, wrapped)" + (nearest != null ? "; did you mean [" + nearest + "]?"
                            : "; join it to its line, or remove it"));
                }
            } else {
                // A secret's name written otherwise (JWTGATE_REDIS_PASSWORD) or misspelt (redis.pasword): its next line
                // may be the rest of its value all the same.
                String meant = resembled(name);
                secret = meant != null && ConfigKeys.isSecret(meant) ? meant : null;
            }
        }
    }

    /**
     * Refuses a line that ends in a backslash before a line that starts with a setting's name: the backslash (a Windows
     * path's, or a secret's last character) joins the next line to the value, and the setting there was lost: a
     * missing or default setting, or a value that fails, with nothing pointing at the backslash. The values are not shown.
     */
    private static void requireNoSwallowedSetting(String text, List<int[]> lines, String path) {
        String[] physical = text.split("\r\n|\r|\n", -1);
        for (int[] line : lines) {
            for (int joined = line[0] + 1; joined <= line[1]; joined++) { // numbered from 1, as lines gives them
                String swallowed = settingNamed(stripPropertiesWhitespace(physical[joined - 1]));
                if (swallowed != null) {
                    String owner = settingNamed(stripPropertiesWhitespace(physical[line[0] - 1]));
                    throw new ConfigurationException("Line " + (joined - 1) + " of properties file " + path + " ends with"
                            + " a backslash, which joins line " + joined + " ([" + swallowed + "]) to the value of "
                            + (owner != null ? "[" + owner + "]" : "line " + line[0]) + " (not shown); write a"
                            + " backslash that ends a value as \\\\");
                }
            }
        }
    }

    /** The setting a properties line starts with ({@code name=}, {@code name:} or {@code name value}), or null. */
    private static String settingNamed(String line) {
        int end = 0;
        while (end < line.length() && "=: \t\f".indexOf(line.charAt(end)) < 0) {
            end++;
        }
        String name = line.substring(0, end);
        return end < line.length() && ConfigKeys.isKnown(name) ? name : null;
    }

    /**
     * The first and last line number (from 1) of each logical line of a properties file, as {@link Properties#load}
     * reads them: blank lines and comment lines ({@code #}, {@code !}) skipped, a line ending in an odd number of
     * backslashes continued on the next.
     */
    private static List<int[]> logicalLines(String text) {
        String[] physical = text.split("\r\n|\r|\n", -1);
        List<int[]> lines = new ArrayList<>();
        for (int i = 0; i < physical.length; i++) {
            String line = stripPropertiesWhitespace(physical[i]);
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') {
                continue;
            }
            int first = i;
            while (endsInContinuation(physical[i]) && i + 1 < physical.length) {
                i++;
            }
            lines.add(new int[] {first + 1, i + 1});
        }
        return lines;
    }

    private static String stripPropertiesWhitespace(String line) {
        int start = 0;
        while (start < line.length() && (line.charAt(start) == ' ' || line.charAt(start) == '\t'
                || line.charAt(start) == '\f')) {
            start++;
        }
        return line.substring(start);
    }

    private static boolean endsInContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** A key on two lines of a properties file. */
    private static final class DuplicateSettingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DuplicateSettingException(String key) {
            super(key, null, false, false);
        }
    }
}
