"""Searches that find schedules: greedy, polish, Kempe chains, busy patterns, parts re-solved, days re-solved."""
