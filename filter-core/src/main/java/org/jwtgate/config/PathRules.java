package org.jwtgate.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what a path needs: nothing (excluded), a token if one is presented (optional), a
 * token (protected), and which roles. Immutable, built once from configuration.
 *
 * <pre>{@code
 * PathRules paths = config.paths();
 * paths.access("/health");          // PUBLIC when paths.exclude lists it
 * paths.requiredRoles("/admin/x");  // [admin] for paths.roles=/admin/*=admin
 * paths.requiredRolesOfNormalForm("//admin/x");  // [admin] too: a caller needs one of each set
 * }</pre>
 *
 * @since 1.0.0
 */
public final class PathRules {

    /** What a request to a path needs. */
    public enum Access {
        /** {@code paths.exclude}: no token is read; the request proceeds anonymously. */
        PUBLIC,
        /** {@code paths.optional}: a token is verified if present; without one the request proceeds anonymously. */
        OPTIONAL,
        /** Every other path: a valid token is needed, else 401. */
        PROTECTED
    }

    // Arrays: matched on every request without an iterator.
    private final PathPattern[] excluded;
    private final PathPattern[] optional;
    private final RoleRule[] roleRules;

    PathRules(List<PathPattern> excluded, List<PathPattern> optional, List<RoleRule> roleRules) {
        this.excluded = excluded.toArray(new PathPattern[0]);
        this.optional = optional.toArray(new PathPattern[0]);
        this.roleRules = roleRules.toArray(new RoleRule[0]);
    }

    /**
     * No public or optional path and no role rule: every path needs a valid token, as with no {@code paths.*} setting.
     *
     * @return rules under which every path is {@link Access#PROTECTED} and needs no role
     */
    public static PathRules protectEverything() {
        return new PathRules(List.of(), List.of(), List.of());
    }

    /** Parses a comma-separated pattern list. @throws IllegalArgumentException on a bad pattern */
    static List<PathPattern> parsePatterns(String value) {
        List<PathPattern> patterns = new ArrayList<>();
        if (value != null) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    patterns.add(PathPattern.parse(item));
                }
            }
            if (patterns.isEmpty()) {
                // Only commas (references that expanded to nothing): refused like every other list, not read as unset.
                throw new IllegalArgumentException("no pattern, only separators");
            }
        }
        return patterns;
    }

    /**
     * Inside a role, a comma and a path pattern (a rule written after a ',' instead of a ';'), or a pattern and its
     * '=' at the start or after white space: a rule after a '|' ("/admin/*=admin|/reports/*=analyst"), or after a
     * space (a no-break one too, pasted from a page), as a properties file's continuation line or a YAML folded value
     * joins lines ("…=admin /reports/*=…"), or a wildcard pattern and its '=' anywhere ("admin/reports/*=…", a line
     * continued with no space before its '\'). A role with spaces or slashes ("Sales / EMEA", a group path "/admins",
     * a directory name "CN=Sales /EMEA,OU=Groups", whose ",OU=" ends the word) has no '=' in the pattern-shaped word
     * after them; a group path holding one ("/tenants/id=42/admins") cannot be told from a rule, and is refused.
     */
    private static final java.util.regex.Pattern SECOND_RULE =
            java.util.regex.Pattern.compile(",\\s*(/|\\*\\.)|(^|[\\s\\p{Z}])(/|\\*\\.)(?:[^\\s\\p{Z}=,]++|,(?!"
                    + "[A-Za-z][A-Za-z0-9-]*=))*=|/\\*=|\\*\\.[A-Za-z0-9]+=");

    /** Parses {@code /admin/*=admin;/reports/*=analyst|admin}. @throws IllegalArgumentException */
    static List<RoleRule> parseRoleRules(String value) {
        List<RoleRule> rules = new ArrayList<>();
        if (value == null) {
            return rules;
        }
        for (String item : value.split(";")) {
            if (item.isBlank()) {
                continue;
            }
            int equals = item.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("rule [" + item.trim() + "] must look like /path/*=role1|role2");
            }
            PathPattern pattern = PathPattern.parse(item.substring(0, equals));
            Set<String> roles = new LinkedHashSet<>();
            for (String role : item.substring(equals + 1).split("\\|")) {
                if (role.isBlank()) {
                    continue;
                }
                // "/admin/*=admin<newline>/reports/*=analyst" (one rule per line, ';' forgotten): the same hole.
                if (PathPattern.spansLines(role.trim())) {
                    throw new IllegalArgumentException("rule [" + item.trim() + "] has a role that spans lines or holds"
                            + " a tab [" + role.trim() + "]: separate rules with ';' and roles with '|'");
                }
                // "/admin/*=admin,/reports/*=analyst" (commas, as every other list) would read as one rule whose
                // second "role" nobody has, leaving /reports/* open to any user. A directory group name
                // (CN=Admins,OU=Groups) keeps its commas and '='.
                if (SECOND_RULE.matcher(role.trim()).find()) {
                    throw new IllegalArgumentException("rule [" + item.trim() + "] has a role that holds another rule ["
                            + role.trim() + "]: separate rules with ';' and roles with '|'");
                }
                if (role.trim().equals("*")) {
                    // The servlet API: isUserInRole("*") is false whatever a token lists; the rule would admit a token
                    // whose roles claim lists "*".
                    throw new IllegalArgumentException("rule [" + item.trim() + "] names the role [*], which no caller "
                            + "holds; name the roles, or ** for any authenticated caller");
                }
                roles.add(role.trim());
            }
            if (roles.isEmpty()) {
                throw new IllegalArgumentException("rule [" + item.trim() + "] names no role");
            }
            // First matching rule applies: a rule an earlier one covers is never asked, and its path (/*=user before
            // /admin/*=admin) is open to whoever the earlier rule admits. One that asks the same roles changes nothing.
            for (RoleRule earlier : rules) {
                if (earlier.pattern().covers(pattern) && !earlier.anyOfRoles().equals(roles)) {
                    throw new IllegalArgumentException("rule [" + item.trim() + "] never applies: the earlier rule ["
                            + earlier + "] matches every path it does (the first matching rule applies: write the "
                            + "narrower rule first)");
                }
            }
            rules.add(new RoleRule(pattern, roles));
        }
        if (rules.isEmpty()) {
            // ";" (two references that expanded to nothing) read as no rules would switch every role check off.
            throw new IllegalArgumentException("no rule, only separators");
        }
        return rules;
    }

    /**
     * What a request to a path needs; {@code paths.exclude} wins over {@code paths.optional}.
     *
     * @param path the container's normalized servlet path + path info. A path that still holds
     *             dot segments, a path parameter or a doubled slash is never treated as public.
     *             {@code *.ext} patterns apply whatever servlet serves the path: code deciding a request itself
     *             asks {@link #access(String, boolean)} with whether its mapping allows them.
     * @return whether the path is public, optional or protected
     */
    public Access access(String path) {
        return access(path, true);
    }

    /**
     * As {@link #access(String)}; with {@code byExtension} false, {@code *.ext} patterns of {@code paths.exclude} and
     * {@code paths.optional} do not apply: the container serves the path by a servlet's exact or prefix mapping, which
     * the Servlet specification prefers over any extension mapping ({@code /admin/x.css} to the {@code /admin/*}
     * servlet), so the resource is that servlet's, not a file of that extension.
     *
     * @param path        the container's servlet path + path info
     * @param byExtension whether extension patterns may make the path public or optional
     * @return whether the path is public, optional or protected
     * @since 1.1.0
     */
    public Access access(String path, boolean byExtension) {
        if (isSuspicious(path)) {
            return Access.PROTECTED;
        }
        if (anyMatch(excluded, path, byExtension)) {
            return Access.PUBLIC; // even under a role rule: exclusions carve public paths (/health) out of "/*=user"
        }
        if (anyMatch(optional, path, byExtension)) {
            return Access.OPTIONAL;
        }
        return Access.PROTECTED;
    }

    /**
     * The roles of the first rule that matches, any one of which admits a caller, or an empty set when no rule does
     * (a path with a trailing slash may need an exact rule's roles too: {@link #requiredRolesWithoutTrailingSlash});
     * {@code **} among them admits any authenticated caller (the servlet API's role name for one). Not enough alone
     * for a path the container left unnormalized: the caller needs one of {@link #requiredRolesOfNormalForm} as well,
     * as the filter asks.
     *
     * @param path the container's servlet path + path info
     * @return the roles that admit a caller (any one suffices), or an empty set when no rule matches
     */
    public Set<String> requiredRoles(String path) {
        for (RoleRule rule : roleRules) {
            if (rule.pattern().matches(path)) {
                return rule.anyOfRoles();
            }
        }
        return Set.of();
    }

    /**
     * For a path ending in one slash ({@code /api/admin/}; a path the container left unnormalized, by its normal form)
     * that no rule is written for (an exact {@code /api/admin/} or a prefix {@code /api/admin/*}): the roles of an exact
     * rule for the path without it ({@code /api/admin}), which
     * JAX-RS (Jersey, RESTEasy) and Spring MVC 5 serve as the same resource; else an empty set. A caller needs one of
     * these roles as well as one of {@link #requiredRoles} and of {@link #requiredRolesOfNormalForm}: never fewer roles
     * than before, so a broader rule ({@code /api/*=user}) still applies too.
     *
     * @param path the container's servlet path + path info
     * @return the roles of the exact rule for the path without its trailing slash, or an empty set
     * @since 1.1.0
     */
    public Set<String> requiredRolesWithoutTrailingSlash(String path) {
        // An unnormalized path by its normal form (/catalog//edit/ is /catalog/edit/), which ends in one slash or none.
        String form = isSuspicious(path) ? normalForm(path) : path;
        if (form.length() < 2 || !form.endsWith("/") || form.endsWith("//")) {
            return Set.of();
        }
        String resource = form.substring(0, form.length() - 1);
        RoleRule exact = null;
        for (RoleRule rule : roleRules) {
            if (rule.pattern().isWrittenFor(resource, form)) {
                return Set.of(); // the configuration says what the path with its slash needs
            }
            if (exact == null && rule.pattern().isExactly(resource)) {
                exact = rule;
            }
        }
        return exact == null ? Set.of() : exact.anyOfRoles();
    }

    /**
     * The roles of the first rule that matches the normal form of {@code path}, when the container handed the path
     * over unnormalized (it holds {@code //}, {@code ;}, a dot segment or {@code \}); else, and when no rule matches
     * that form, an empty set. A caller needs one of these roles as well as one of {@link #requiredRoles}: a container
     * that leaves the path so may serve its normal form (Jetty with encoded slashes decoded hands {@code /%2Fadmin/x}
     * over as {@code //admin/x}, which its DefaultServlet serves from {@code admin/x}), while its servlet mapping may
     * have taken the path as it is ({@code /admin/%2e%2e/x} goes to the servlet of {@code /admin/*}).
     *
     * @param path the container's servlet path + path info, as handed over
     * @return the roles that admit a caller to the normal form, or an empty set
     * @since 1.1.0
     */
    public Set<String> requiredRolesOfNormalForm(String path) {
        return isSuspicious(path) ? requiredRoles(normalForm(path)) : Set.of();
    }

    /**
     * The rules no request can reach through a filter mapped to {@code urlPatterns} (servlet url-patterns: {@code /exact},
     * {@code /prefix/*}, {@code *.ext}, {@code /}, {@code ""}), each named as {@code paths.roles [/admin/*=admin]}, in
     * the order configured: a filter mapped to {@code /api/*} never sees {@code /admin/x}, so a rule for
     * {@code /admin/*} protects nothing. Empty when every rule can match a mapped path, and when a url-pattern is none
     * of the servlet forms (it may cover any path).
     *
     * <pre>{@code
     * paths.rulesOutside(List.of("/api/*"));  // [paths.roles [/admin/*=admin]] for paths.roles=/admin/*=admin
     * }</pre>
     *
     * @param urlPatterns the filter's url-patterns, as the container reports its mapping
     * @return the unreachable rules, each named with its setting; empty when none
     * @since 1.1.0
     */
    public List<String> rulesOutside(Collection<String> urlPatterns) {
        List<PathPattern> mapped = new ArrayList<>();
        for (String urlPattern : urlPatterns) {
            Optional<PathPattern> pattern = PathPattern.ofUrlPattern(urlPattern);
            if (pattern.isEmpty()) {
                return List.of();
            }
            mapped.add(pattern.get());
        }
        List<String> outside = new ArrayList<>();
        for (PathPattern pattern : excluded) {
            addIfOutside(outside, mapped, pattern, ConfigKeys.PATHS_EXCLUDE + " [" + pattern + "]");
        }
        for (PathPattern pattern : optional) {
            addIfOutside(outside, mapped, pattern, ConfigKeys.PATHS_OPTIONAL + " [" + pattern + "]");
        }
        for (RoleRule rule : roleRules) {
            addIfOutside(outside, mapped, rule.pattern(), ConfigKeys.PATHS_ROLES + " [" + rule + "]");
        }
        return outside;
    }

    private static void addIfOutside(List<String> outside, List<PathPattern> mapped, PathPattern rule, String name) {
        if (mapped.stream().noneMatch(rule::overlaps)) {
            outside.add(name);
        }
    }

    /**
     * {@code path} with {@code \} read as {@code /}, path parameters and empty or {@code .} segments dropped, and
     * {@code ..} segments applied.
     */
    private static String normalForm(String path) {
        String[] segments = path.replace('\\', '/').split("/", -1);
        ArrayDeque<String> kept = new ArrayDeque<>();
        String name = "";
        for (String segment : segments) {
            int parameters = segment.indexOf(';');
            name = parameters < 0 ? segment : segment.substring(0, parameters);
            if (name.equals("..")) {
                kept.pollLast();
            } else if (!name.isEmpty() && !name.equals(".")) {
                kept.addLast(name);
            }
        }
        String normal = "/" + String.join("/", kept);
        // A path that ends in a directory (/admin/, /admin/x/..) stays one: an exact rule tells /admin from /admin/.
        return kept.isEmpty() || !(name.isEmpty() || name.equals(".") || name.equals("..")) ? normal : normal + "/";
    }

    private static boolean anyMatch(PathPattern[] patterns, String path, boolean byExtension) {
        for (PathPattern pattern : patterns) {
            if ((byExtension || !pattern.isExtension()) && pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSuspicious(String path) {
        return path.contains("//") || path.contains(";") || path.contains("\\") || path.contains("%")
                || path.equals("..") || path.startsWith("../") || path.endsWith("/..") || path.contains("/../")
                || path.endsWith("/.") || path.contains("/./") || path.indexOf('\0') >= 0;
    }

    @Override
    public String toString() {
        return "exclude=" + Arrays.toString(excluded) + ", optional=" + Arrays.toString(optional)
                + ", roles=" + Arrays.toString(roleRules);
    }
}
