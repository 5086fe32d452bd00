DROP TABLE job_run_deps;
DROP TABLE job_runs;
DROP TABLE jobs;
