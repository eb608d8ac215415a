package org.jwtgate.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskedUrlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "https://idp.example/jwks.json | https://idp.example/jwks.json",
        "https://idp.example:8443/tenant/7/jwks | https://idp.example:8443/tenant/7/jwks",
        "https://idp.example/jwks?api_key=S3CR3T | https://idp.example/jwks?api_key=****",
        "https://idp.example/jwks?tenant=7&token=S3CR3T | https://idp.example/jwks?tenant=****&token=****",
        "https://idp.example/jwks?S3CR3T | https://idp.example/jwks?****",
        "https://idp.example/jwks?a=&b | https://idp.example/jwks?a=&****",
        "https://idp.example/jwks#S3CR3T | https://idp.example/jwks#****",
        "https://user:S3CR3T@idp.example/jwks | https://****@idp.example/jwks",
        "https://user:S3/CR?3T#x@idp.example/jwks?k=S3CR3T | https://****@idp.example/jwks?k=****",
        "https:/user:S3CR3T@idp.example/jwks | https:/****@idp.example/jwks",
        "https://user:S3CR3T@my_idp.example/jwks | https://****@my_idp.example/jwks",
        // Pasted with what surrounded it: the scheme is not the first character.
        "\"https:/user:S3CR3T@idp.example/jwks\" | \"https:/****@idp.example/jwks\"",
        "<https://user:S3CR3T@idp.example/jwks> | <https://****@idp.example/jwks>",
        // Firebase's JWKS URL: an '@' in the path is no user part.
        "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com"
                + " | https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com",
        "file:///etc/jwtgate/jwks.json | file:///etc/jwtgate/jwks.json",
        "http://[::1]:8080/jwks?key=S3CR3T | http://[::1]:8080/jwks?key=****",
        // A segment's parameters (RFC 3986 §3.3), which a key server may take a key in as it would in the query.
        "https://idp.example/jwks;token=S3CR3T | https://idp.example/jwks;token=****",
        "https://idp.example/t;S3CR3T/jwks;a=1;b=;c?k=S3CR3T | https://idp.example/t;****/jwks;a=****;b=;****?k=****",
        "https://user:S3;CR3T@idp.example/jwks | https://****@idp.example/jwks",
        "not a url | not a url",
    })
    void whenAUrlIsShownThenItsUserPartQueryValuesAndFragmentAreMasked(String url, String shown) {
        assertEquals(shown, MaskedUrl.of(url));
    }
}
