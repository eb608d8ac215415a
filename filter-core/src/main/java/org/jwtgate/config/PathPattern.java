package org.jwtgate.config;

import java.util.Optional;

/**
 * A servlet-style path pattern: {@code /exact}, {@code /prefix/*} (the prefix itself and
 * everything below it) or {@code *.ext}. Matched against the container's decoded, normalized
 * path inside the application (servlet path + path info), never the raw request URI.
 */
final class PathPattern {

    private enum Kind { EXACT, PREFIX, EXTENSION, ALL }

    /**
     * A second pattern after a separator that separates nothing here ({@code /admin,/admin/*=admin} as one rule,
     * {@code /health;/metrics}, {@code /a /b} or {@code /ops|/admin/*=admin} as one item): no path matches the whole,
     * which left both unprotected.
     */
    // One separator right before: what "[,;|\s]\s*(/|\*\.)" finds, as its \s* may match nothing, without rescanning
    // a run of spaces from each of its positions (quadratic: 40,000 spaces took 15 s).
    private static final java.util.regex.Pattern SECOND_PATTERN =
            java.util.regex.Pattern.compile("[,;|\\s\\p{Z}](/|\\*\\.)");
    /** A {@code %XX} escape: copied from a URL, it names a path the container hands over decoded. */
    private static final java.util.regex.Pattern PERCENT_ESCAPE = java.util.regex.Pattern.compile("%[0-9A-Fa-f]{2}");

    private final String text;
    private final Kind kind;
    private final String operand;
    /** {@code operand + "/"}, built once: matching runs on every request. */
    private final String operandSlash;

    private PathPattern(String text, Kind kind, String operand) {
        this.text = text;
        this.kind = kind;
        this.operand = operand;
        this.operandSlash = operand + "/";
    }

    /** @throws IllegalArgumentException with a reason, when the pattern is not one of the three forms */
    static PathPattern parse(String pattern) {
        String p = pattern.trim();
        if (spansLines(p)) {
            // "/health<newline>/static/*": a comma is missing, and the one pattern would match neither path.
            throw new IllegalArgumentException("pattern [" + p + "] spans lines or holds a tab; separate patterns"
                    + " with ',' (rules of paths.roles with ';')");
        }
        java.util.regex.Matcher second = SECOND_PATTERN.matcher(p);
        if (second.find()) {
            throw new IllegalArgumentException("pattern [" + p + "] holds a second pattern [" + p.substring(second.start(1))
                    + "]; separate patterns with ',', and give each its own rule in paths.roles (rules separated by ';')");
        }
        if (PERCENT_ESCAPE.matcher(p).find()) {
            // Paths are matched decoded: "/reports/Q1%202026/*" never matches "/reports/Q1 2026/x", and as a
            // paths.roles rule it left that path open to every user.
            throw new IllegalArgumentException("pattern [" + p + "] is percent-encoded; patterns match the decoded "
                    + "path: write the character itself (a space, not %20)");
        }
        if (!isNormalForm(p)) {
            // Paths are matched normalized: "/admin//*" (from "${env:BASE}/*" with BASE=/admin/) or "/app/../admin/*"
            // never matches "/admin/x", and as a paths.roles rule it left that path open to every user.
            throw new IllegalArgumentException("pattern [" + p + "] is not in normal form (it holds '//', '\\', or a"
                    + " '.' or '..' segment); patterns match the container's normalized path: write it as one");
        }
        if (p.equals("/*")) {
            return new PathPattern(p, Kind.ALL, "");
        }
        if (p.startsWith("*.")) {
            String extension = p.substring(1);
            if (extension.length() < 2 || extension.indexOf('/') >= 0 || extension.indexOf('*') >= 0) {
                throw new IllegalArgumentException("bad extension pattern [" + p + "]");
            }
            return new PathPattern(p, Kind.EXTENSION, extension);
        }
        if (!p.startsWith("/")) {
            throw new IllegalArgumentException("pattern [" + p + "] must start with / or *.");
        }
        if (p.endsWith("/*")) {
            String prefix = p.substring(0, p.length() - 2);
            if (prefix.indexOf('*') >= 0) {
                throw new IllegalArgumentException("pattern [" + p + "] may hold * only at its end");
            }
            return new PathPattern(p, Kind.PREFIX, prefix);
        }
        if (p.indexOf('*') >= 0) {
            throw new IllegalArgumentException("pattern [" + p + "] may hold * only as /prefix/* or *.ext");
        }
        return new PathPattern(p, Kind.EXACT, p);
    }

    /** No {@code //}, no backslash, no {@code .} or {@code ..} segment: a path the container may hand over. */
    private static boolean isNormalForm(String pattern) {
        if (pattern.contains("//") || pattern.indexOf('\\') >= 0) {
            return false;
        }
        for (String segment : pattern.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** A line break or a tab inside an item: a value written over lines with a separator missing. */
    static boolean spansLines(String item) {
        return item.indexOf('\n') >= 0 || item.indexOf('\r') >= 0 || item.indexOf('\t') >= 0;
    }

    /** Whether this is a {@code *.ext} pattern. */
    boolean isExtension() {
        return kind == Kind.EXTENSION;
    }

    boolean matches(String path) {
        return switch (kind) {
            case ALL -> true;
            case EXACT -> path.equals(operand);
            case PREFIX -> path.equals(operand) || path.startsWith(operandSlash);
            case EXTENSION -> {
                int lastSlash = path.lastIndexOf('/');
                yield path.endsWith(operand) && path.length() - operand.length() > lastSlash + 1;
            }
        };
    }

    /** Whether this is the exact pattern of {@code path}. */
    boolean isExactly(String path) {
        return kind == Kind.EXACT && operand.equals(path);
    }

    /**
     * Whether this pattern is written for {@code pathWithSlash} ({@code resource/}): the exact {@code resource/} or the
     * prefix {@code resource/*}; not a broader prefix or an extension.
     */
    boolean isWrittenFor(String resource, String pathWithSlash) {
        return kind == Kind.EXACT && operand.equals(pathWithSlash) || kind == Kind.PREFIX && operand.equals(resource);
    }

    /** Whether every path {@code other} matches is matched by this pattern too (a rule after this one never applies). */
    boolean covers(PathPattern other) {
        return switch (other.kind) {
            case ALL -> kind == Kind.ALL;
            case EXACT -> matches(other.operand);
            // The prefix itself and every path below it: this covers them all when it covers the prefix as a prefix.
            case PREFIX -> kind == Kind.ALL || (kind == Kind.PREFIX && matches(other.operand));
            // *.gz matches every path *.tar.gz does.
            case EXTENSION -> kind == Kind.ALL || (kind == Kind.EXTENSION && other.operand.endsWith(operand));
        };
    }

    /**
     * A servlet url-pattern of a filter or servlet mapping as a pattern; {@code /} (the default servlet's, which
     * Jetty matches every path with: read narrower, it would name rules that do apply) as every path, {@code ""} (the context root) as {@code /}; empty when it is
     * none of the servlet forms, which a caller then counts as able to match any path.
     */
    static Optional<PathPattern> ofUrlPattern(String urlPattern) {
        if (urlPattern.equals("/")) {
            return Optional.of(new PathPattern(urlPattern, Kind.ALL, ""));
        }
        if (urlPattern.isEmpty()) {
            return Optional.of(new PathPattern(urlPattern, Kind.EXACT, "/"));
        }
        try {
            return Optional.of(parse(urlPattern));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether some path is matched by both this pattern and {@code other}. */
    boolean overlaps(PathPattern other) {
        if (kind == Kind.ALL || other.kind == Kind.ALL) {
            return true;
        }
        if (kind == Kind.EXACT || other.kind == Kind.EXACT) {
            return kind == Kind.EXACT ? other.matches(operand) : matches(other.operand);
        }
        if (kind == Kind.PREFIX && other.kind == Kind.PREFIX) {
            return matches(other.operand) || other.matches(operand); // one prefix lies under the other
        }
        if (kind == Kind.EXTENSION && other.kind == Kind.EXTENSION) {
            // Matched as a suffix: /a.tar.gz has both .tar.gz and .gz.
            return operand.endsWith(other.operand) || other.operand.endsWith(operand);
        }
        return true; // a prefix and an extension: /prefix/x.ext
    }

    @Override
    public String toString() {
        return text;
    }
}
