DROP TABLE workflow_events;
DROP TABLE workflow_phases;
DROP TABLE workflows;
