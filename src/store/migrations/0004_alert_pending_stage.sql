-- A higher stage waiting for its own `for` (JSON {"id": ..., "since": ...}); NULL when none. See Alert.pendingStage.
ALTER TABLE alerts ADD COLUMN pending_stage TEXT;
