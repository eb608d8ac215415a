# $JETTY_BASE/modules/jwtgate-authentication.mod: JwtGate's Jakarta Authentication module registered by
# the administrator for the applications etc/jwtgate-authentication.xml names.

[description]
Registers JwtGate's Jakarta Authentication module (bearer tokens, revocation in Redis) for chosen applications.

[environment]
ee10

[depend]
ee10-jaspi

[lib]
# jwtgate-authentication, jwtgate-filter-core and their dependencies (jose4j, jedis, commons-pool2,
# gson, json, redis-authx-core), without slf4j-api: Jetty has its own.
lib/jwtgate/*.jar

[xml]
etc/jwtgate-authentication.xml
