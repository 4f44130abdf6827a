-- Analysts read phone numbers masked, as the API shows them to the analyst role
-- (+33612345678 → +33••••••••78, src/api/auth/roles.ts maskPhone): relance_analyst loses the
-- phone columns of the tables it reads (column privileges: every other column stays readable) and
-- reads the masked numbers through analyst views (analyst.phones, sql/views/phones.sql).
-- analyst.hide_phone_columns() applies the rule to every text column named like a phone number
-- (`phone`, `phone_e164`, `phone_number`, `msisdn`, or ending so: `callback_phone`; not
-- `phone_type`) in the schemas the role reads; migrate() calls it again after each batch of migrations, so a
-- table added later is covered too.

create or replace function analyst.mask_phone(phone text) returns text
language sql immutable parallel safe as $$
  select case
    when phone is null then null
    when length(phone) <= 4 then '••••'
    else substr(phone, 1, 3) || repeat('•', greatest(0, length(phone) - 5)) || right(phone, 2)
  end
$$;
comment on function analyst.mask_phone(text) is 'A phone number as analysts see it: country code and last two digits';

create or replace function analyst.hide_phone_columns() returns integer
language plpgsql as $$
declare
  t record;
  readable text;
  n integer := 0;
begin
  for t in
    select c.table_schema, c.table_name
    from information_schema.columns c
    join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name and tb.table_type = 'BASE TABLE'
    where c.table_schema in ('clean', 'features', 'scoring', 'dialer', 'monitoring')
      and c.column_name ~ '(^|_)(phone|phone_e164|phone_number|msisdn)$' and c.data_type in ('text', 'character varying')
    group by c.table_schema, c.table_name
  loop
    select string_agg(quote_ident(column_name), ', ' order by ordinal_position) into readable
    from information_schema.columns
    where table_schema = t.table_schema and table_name = t.table_name
      and not (column_name ~ '(^|_)(phone|phone_e164|phone_number|msisdn)$' and data_type in ('text', 'character varying'));
    execute format('revoke select on %I.%I from relance_analyst', t.table_schema, t.table_name);
    if readable is not null then
      execute format('grant select (%s) on %I.%I to relance_analyst', readable, t.table_schema, t.table_name);
    end if;
    n := n + 1;
  end loop;
  return n;
end
$$;
comment on function analyst.hide_phone_columns() is 'Takes the phone columns of clean, features, scoring, dialer and monitoring tables away from relance_analyst; returns the number of tables restricted';

select analyst.hide_phone_columns();
