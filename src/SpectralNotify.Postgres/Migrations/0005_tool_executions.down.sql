DROP TABLE tool_executions;
