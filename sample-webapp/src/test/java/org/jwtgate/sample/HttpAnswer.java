package org.jwtgate.sample;

import java.net.HttpCookie;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jose4j.json.JsonUtil;

/** One HTTP answer, with what the tests look at: status, headers, JSON body, cookies set. */
record HttpAnswer(int status, Map<String, List<String>> headers, String body) {

    Optional<String> header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream())
                .findFirst();
    }

    List<String> headers(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream())
                .toList();
    }

    Map<String, Object> json() {
        try {
            return JsonUtil.parseJson(body);
        } catch (Exception e) {
            throw new AssertionError("Not JSON (status " + status + "): " + body, e);
        }
    }

    String string(String field) {
        Object value = json().get(field);
        return value == null ? null : value.toString();
    }

    /** The raw Set-Cookie header for {@code name}, e.g. {@code access_token=…; Max-Age=900; …}. */
    String setCookie(String name) {
        return headers("Set-Cookie").stream()
                .filter(h -> h.startsWith(name + "="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No Set-Cookie for " + name + " in " + headers("Set-Cookie")));
    }

    String cookieValue(String name) {
        return HttpCookie.parse(setCookie(name)).get(0).getValue();
    }

    @Override
    public String toString() {
        return status + " " + body + " " + headers.keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    }
}
