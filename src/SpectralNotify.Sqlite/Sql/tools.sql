-- name: ToolInsert
INSERT INTO tool_executions (id, task_id, tool_name, arguments, status, output, error, started_at, completed_at, duration_ms, created_by)
VALUES (@id, @task_id, @tool_name, @arguments, @status, @output, @error, @started_at, @completed_at, @duration_ms, @created_by);

-- name: ToolGet
SELECT id, task_id, tool_name, arguments, status, output, error, started_at, completed_at, duration_ms, created_by
FROM tool_executions WHERE task_id = @task_id AND id = @id;

-- name: ToolFinish
UPDATE tool_executions SET status = @status, output = @output, error = @error, completed_at = @completed_at, duration_ms = @duration_ms
WHERE id = @id AND status = 'running';

-- name: ToolList
SELECT id, task_id, tool_name, arguments, status, output, error, started_at, completed_at, duration_ms, created_by
FROM tool_executions WHERE task_id = @task_id ORDER BY started_at, id;

