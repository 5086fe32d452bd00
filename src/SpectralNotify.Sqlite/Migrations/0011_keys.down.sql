DROP TABLE signing_keys;
DROP TABLE api_keys;
