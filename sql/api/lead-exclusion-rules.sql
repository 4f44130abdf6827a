-- Why scored debtors were kept off one list date: debtors per compliance rule (a debtor caught by
-- two rules counts under each) and the number of distinct debtors excluded.
-- Parameters: list_date (date).
select rule, count(*)::int as debtors, count(*) over ()::int as rules,
       (select count(distinct debtor_id)::int from dialer.exclusions where list_date = :list_date) as distinct_debtors
  from dialer.exclusions
 where list_date = :list_date
 group by rule
 order by count(*) desc, rule
