-- The eligible debtors of one list date that are not on it: deferred for capacity (or because no
-- team works them) and the control group, per team, with the expected recovery they carry.
-- Parameters: list_date (date).
select 'deferred' as kind, reason, team_id, count(*)::int as debtors, sum(expected_recovery) as expected_recovery
  from dialer.deferred where list_date = :list_date group by reason, team_id
union all
select 'holdout', case when would_be_listed then 'would_be_listed' else 'below_cut_off' end, team_id, count(*)::int, sum(expected_recovery)
  from dialer.holdout where list_date = :list_date group by would_be_listed, team_id
order by 1, 2, 3
