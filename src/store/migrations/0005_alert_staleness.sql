-- Unknown is not absent (see Alert.stale, keepFiringSince, resolvedReason):
-- stale: JSON {"since": ISO, "sources": [...]} while a source the rule needs failed; NULL when confirmed.
ALTER TABLE alerts ADD COLUMN stale TEXT;
-- keep_firing_for: when the condition of a firing alert stopped holding; NULL while it holds.
ALTER TABLE alerts ADD COLUMN keep_firing_since TEXT;
-- Why a resolved alert resolved: 'cleared' or 'source-unavailable'; NULL for alerts resolved before this column.
ALTER TABLE alerts ADD COLUMN resolved_reason TEXT CHECK (resolved_reason IS NULL OR resolved_reason IN ('cleared', 'source-unavailable'));
