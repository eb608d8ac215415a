#!/usr/bin/env bash
# docs/sample.md's curl walk-through of the sample app, runnable as it stands:
#   sample-webapp/walkthrough.sh [base-url]          (default http://localhost:8080)
# Start the app first (./mvnw -q -pl sample-webapp -am compile exec:java). The last step
# locks alice and your address out of /login for 15 minutes: restart the app to start afresh.
# WalkthroughIT runs this script against the app on every build.
set -euo pipefail
BASE=${1:-http://localhost:8080}
cd "$(mktemp -d)"                      # scratch directory for cookies.txt and the JSON answers
json() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/" "$2"; }   # one string field of a one-line JSON answer

echo "== 1. Health (public)"
curl -s "$BASE/health"; echo

echo "== 2. Log in (JSON; a form works too): tokens in the body and in HttpOnly cookies"
curl -s -c cookies.txt "$BASE/login" -H 'Content-Type: application/json' \
     -d '{"username":"alice","password":"wonderland"}' > login.json
cat login.json; echo
ACCESS=$(json access_token login.json)
REFRESH=$(json refresh_token login.json)

echo "== 3. Who am I: token in the Authorization header, then in the cookie"
curl -s "$BASE/api/me" -H "Authorization: Bearer $ACCESS"; echo
curl -s -b cookies.txt "$BASE/api/me"; echo

echo "== 4. Refresh: the refresh token is rotated"
curl -s "$BASE/refresh" -H 'Content-Type: application/json' -d "{\"refresh_token\":\"$REFRESH\"}" > refreshed.json
cat refreshed.json; echo

echo "== 5. The old refresh token again: 401, and its whole family is revoked"
curl -s -i "$BASE/refresh" -H 'Content-Type: application/json' -d "{\"refresh_token\":\"$REFRESH\"}"; echo
curl -s -i "$BASE/refresh" -H 'Content-Type: application/json' \
     -d "{\"refresh_token\":\"$(json refresh_token refreshed.json)\"}"; echo
curl -s -i "$BASE/api/me" -H "Authorization: Bearer $ACCESS"; echo

echo "== 6. Log in again, log out: 204; then the token is refused in the header and in the cookie"
curl -s -c cookies.txt "$BASE/login" -d username=alice -d password=wonderland > login.json
ACCESS=$(json access_token login.json)
curl -s -i -X POST "$BASE/logout" -H "Authorization: Bearer $ACCESS"; echo
curl -s -i "$BASE/api/me" -H "Authorization: Bearer $ACCESS"; echo
curl -s -i -b cookies.txt "$BASE/api/me"; echo

echo "== 7. CSRF: a POST authenticated by the cookie must show it comes from this origin"
curl -s -c cookies.txt "$BASE/login" -d username=alice -d password=wonderland > login.json
curl -s -i -X POST -b cookies.txt "$BASE/logout" -H 'Origin: https://evil.example'; echo
curl -s -i -X POST -b cookies.txt "$BASE/logout" -H "Origin: $BASE"; echo

echo "== 8. Log out everywhere: every token of alice is refused"
curl -s "$BASE/login" -d username=alice -d password=wonderland > laptop.json
curl -s "$BASE/login" -d username=alice -d password=wonderland > phone.json
curl -s -i -X POST "$BASE/logout?all=true" -H "Authorization: Bearer $(json access_token laptop.json)"; echo
curl -s -i "$BASE/api/me" -H "Authorization: Bearer $(json access_token phone.json)"; echo

echo "== 9. Admin: bob revokes every token of alice; alice (no admin role) may not do that"
curl -s "$BASE/login" -d username=alice -d password=wonderland > alice.json
curl -s "$BASE/login" -d username=bob -d password=builder > bob.json
curl -s -i "$BASE/admin/revoke" -H "Authorization: Bearer $(json access_token alice.json)" -d sub=bob; echo
curl -s -i "$BASE/admin/revoke" -H "Authorization: Bearer $(json access_token bob.json)" -d sub=alice; echo
curl -s -i "$BASE/api/me" -H "Authorization: Bearer $(json access_token alice.json)"; echo

echo "== 10. Throttling: after 5 failures in 15 minutes, 429 + Retry-After (even with the right password)"
for i in 1 2 3 4 5; do
  curl -s -o /dev/null -w '%{http_code}\n' "$BASE/login" -d username=alice -d password=guess$i
done
curl -s -i "$BASE/login" -d username=alice -d password=wonderland; echo
