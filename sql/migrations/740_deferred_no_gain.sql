-- A list ordered by what the call adds (ranking.objective: uplift) does not call a debtor whom the
-- uplift model expects no gain from, whatever the window (a call that would add nothing or put the
-- debtor off): such a debtor is deferred with the reason 'no_gain', even when minutes are left.
alter table dialer.deferred drop constraint if exists deferred_reason_check;
alter table dialer.deferred add constraint deferred_reason_check check (reason in ('capacity', 'no_team', 'no_gain'));
comment on column dialer.deferred.reason is 'capacity: did not fit in the teams'' minutes; no_team: no team works its portfolio; no_gain: ordered by uplift, a call is expected to add nothing (incremental recovery <= 0 in every window)';
