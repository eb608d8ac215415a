package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP harness's server over real HTTP: /open is open, the filtered contexts are protected. */
class BenchServerIT {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void whenRequestsReachTheThreeContextsThenOnlyTheFilteredOnesNeedAToken() throws Exception {
        TokenSigner signer = TokenSigner.create("HS256");
        Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
        RevocationVariant.MEMORY.applyTo(settings, null);
        Map<String, Map<String, String>> contexts = new LinkedHashMap<>();
        contexts.put(HttpBenchmark.NEAR_CACHE, settings);
        contexts.put(HttpBenchmark.DIRECT, settings);
        try (BenchServer server = BenchServer.start(contexts, 0)) {
            String bearer = "Bearer " + signer.mint("alice");
            assertEquals(200, status(server.hello(BenchServer.OPEN), null));
            for (String path : contexts.keySet()) {
                assertEquals(401, status(server.hello(path), null), path);
                assertEquals(200, status(server.hello(path), bearer), path);
            }
            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(server.hello(HttpBenchmark.NEAR_CACHE))
                    .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("hello\n", hello.body());
        }
    }

    private int status(URI uri, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
