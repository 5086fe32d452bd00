DROP TABLE counter_history;
DROP TABLE counters;
