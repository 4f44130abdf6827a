-- Extraction, quarantine and clean tables (docs/data-contract.md), and the parsing functions the
-- load validation and the cleaning share. No question mark in this file: the Postgres driver would
-- read it as a parameter (regular expressions write {0,1}).

-- Load audit: one row per file or table pulled, with its row accounting (read = loaded + quarantined).
create table quarantine.loads (
  load_id text primary key,            -- sortable: later loads have greater ids
  run_id text,
  source text not null,
  table_name text not null,
  file text,                           -- file path, or the office table for SQL sources
  checksum text,                       -- sha256 of the file (CSV sources)
  rows_read bigint not null default 0,
  rows_loaded bigint not null default 0,
  rows_quarantined bigint not null default 0,
  status text not null check (status in ('loaded', 'failed')),
  error text,
  watermark text,                      -- SQL sources: the highest watermark value pulled
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  constraint loads_accounting check (status <> 'loaded' or rows_read = rows_loaded + rows_quarantined)
);
create index loads_checksum on quarantine.loads (source, table_name, checksum) where status = 'loaded';
comment on table quarantine.loads is 'One row per loaded file or pulled table: row accounting, checksum, status and error';

-- Rejected rows, verbatim, with the reason and the field at fault.
create table quarantine.rows (
  load_id text not null,
  source text not null,
  table_name text not null,
  file text,
  line bigint not null,                -- physical line where the record starts (header = 1)
  reason text not null,                -- wrong_field_count, missing_value, invalid_date, invalid_amount, …
  field text,                          -- relance column at fault, when one is
  raw_record text not null
);
create index rows_load on quarantine.rows (load_id);
comment on table quarantine.rows is 'Rows rejected by load validation, verbatim, with reason, field, file and line';

-- Rows that cleaning could not attach to their parent (a payment of an unknown case, …).
create table quarantine.orphans (
  table_name text not null,
  row_id text not null,
  missing text not null,               -- what is missing: case, debtor
  missing_id text,
  _load_id text
);
comment on table quarantine.orphans is 'Rows left out of clean.* because their parent is unknown (rebuilt by every clean)';

-- raw.*: values as extracted, trimmed text (dates, timestamps and amounts in canonical text), with lineage.
create table raw.debtors (
  debtor_id text, office_code text, title text, last_name text, first_name text, birth_date text,
  address text, postal_code text, city text, country text, do_not_call text, updated_on text,
  _load_id text not null, _source text not null, _file text, _row_number bigint
);
create table raw.cases (
  case_id text, debtor_id text, office_code text, creditor text, claim_type text, principal text,
  fees text, opened_on text, legal_stage text, status text, disputed text,
  _load_id text not null, _source text not null, _file text, _row_number bigint
);
create table raw.payments (
  payment_id text, case_id text, paid_on text, amount text, method text,
  _load_id text not null, _source text not null, _file text, _row_number bigint
);
create table raw.calls (
  call_id text, debtor_id text, case_id text, phone text, called_at text, duration_s text,
  outcome text, agent text,
  _load_id text not null, _source text not null, _file text, _row_number bigint
);
create table raw.promises (
  promise_id text, case_id text, promised_on text, amount text, due_on text, promise_status text,
  _load_id text not null, _source text not null, _file text, _row_number bigint
);
create table raw.phones (
  debtor_id text, phone text, phone_type text, added_on text,
  _load_id text not null, _source text not null, _file text, _row_number bigint
);

-- clean.*: the shapes of docs/data-contract.md.
create table clean.debtors (
  debtor_id text primary key, office_code text, title text, last_name text, first_name text,
  birth_date date, postal_code text, city text, country text, time_zone text, do_not_call boolean,
  updated_on date, _load_id text
);
create table clean.debtor_keys (
  office_code text not null, source_debtor_id text not null, debtor_id text not null, _load_id text,
  primary key (office_code, source_debtor_id)
);
create table clean.cases (
  case_id text primary key, debtor_id text, office_code text, creditor text, claim_type text,
  principal numeric(14,2), fees numeric(14,2), opened_on date, legal_stage text, status text,
  disputed boolean, _load_id text
);
create index cases_debtor on clean.cases (debtor_id);
create table clean.payments (
  payment_id text primary key, case_id text, debtor_id text, paid_on date, amount numeric(14,2),
  method text, _load_id text
);
create index payments_debtor on clean.payments (debtor_id, paid_on);
create index payments_case on clean.payments (case_id);
create table clean.calls (
  call_id text primary key, debtor_id text, case_id text, phone_e164 text, called_at timestamptz,
  duration_s integer, outcome text, agent text, _load_id text
);
create index calls_debtor on clean.calls (debtor_id, called_at);
create table clean.promises (
  promise_id text primary key, case_id text, debtor_id text, promised_on date,
  amount numeric(14,2), due_on date, _load_id text
);
create index promises_debtor on clean.promises (debtor_id);
create table clean.phones (
  debtor_id text not null, phone_e164 text, phone_type text, valid boolean not null,
  added_on date, _load_id text
);
create index phones_debtor on clean.phones (debtor_id);

-- A calendar date from its parts, or null when the parts name no date (31 February).
create function raw.make_date_or_null(y integer, m integer, d integer) returns date
language sql immutable parallel safe as $$
  select case when y between 1000 and 9999 and m between 1 and 12 and d between 1 and
    case when m = 2 then case when y % 4 = 0 and (y % 100 <> 0 or y % 400 = 0) then 29 else 28 end
         when m in (4, 6, 9, 11) then 30 else 31 end
  then make_date(y, m, d) end
$$;

-- A date whose day or month has one digit (1/2/2026, 2026-1-2), in one of `formats`, or null.
create function raw.parse_short_date(s text, formats text[]) returns date
language sql immutable parallel safe as $$
  select case
    when s ~ '^\d{4}-\d{1,2}-\d{1,2}$' and 'YYYY-MM-DD' = any(formats)
      then raw.make_date_or_null(split_part(s, '-', 1)::int, split_part(s, '-', 2)::int, split_part(s, '-', 3)::int)
    when s ~ '^\d{1,2}/\d{1,2}/\d{4}$' and 'DD/MM/YYYY' = any(formats)
      then raw.make_date_or_null(split_part(s, '/', 3)::int, split_part(s, '/', 2)::int, split_part(s, '/', 1)::int)
    when s ~ '^\d{1,2}-\d{1,2}-\d{4}$' and 'DD-MM-YYYY' = any(formats)
      then raw.make_date_or_null(split_part(s, '-', 3)::int, split_part(s, '-', 2)::int, split_part(s, '-', 1)::int)
    when s ~ '^\d{1,2}\.\d{1,2}\.\d{4}$' and 'DD.MM.YYYY' = any(formats)
      then raw.make_date_or_null(split_part(s, '.', 3)::int, split_part(s, '.', 2)::int, split_part(s, '.', 1)::int)
  end
$$;

-- A date written in one of `formats` (DD/MM/YYYY, YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY, DD/MM/YY), or
-- null. The shape of the text (its digits masked) picks the format without a regular expression,
-- which keeps validation near COPY speed; one-digit days and months take the slower path.
create function raw.parse_date(s text, formats text[]) returns date
language sql immutable parallel safe as $$
  select case translate(s, '123456789', '000000000')
    when '0000-00-00' then case when 'YYYY-MM-DD' = any(formats)
      then raw.make_date_or_null(substr(s, 1, 4)::int, substr(s, 6, 2)::int, substr(s, 9, 2)::int) end
    when '00/00/0000' then case when 'DD/MM/YYYY' = any(formats)
      then raw.make_date_or_null(substr(s, 7, 4)::int, substr(s, 4, 2)::int, substr(s, 1, 2)::int) end
    when '00-00-0000' then case when 'DD-MM-YYYY' = any(formats)
      then raw.make_date_or_null(substr(s, 7, 4)::int, substr(s, 4, 2)::int, substr(s, 1, 2)::int) end
    when '00.00.0000' then case when 'DD.MM.YYYY' = any(formats)
      then raw.make_date_or_null(substr(s, 7, 4)::int, substr(s, 4, 2)::int, substr(s, 1, 2)::int) end
    when '00/00/00' then case when 'DD/MM/YY' = any(formats)
      then raw.make_date_or_null(2000 + substr(s, 7, 2)::int - case when substr(s, 7, 2)::int > 50 then 100 else 0 end,
                                 substr(s, 4, 2)::int, substr(s, 1, 2)::int) end
    else case when length(s) between 6 and 9 then raw.parse_short_date(s, formats) end
  end
$$;

-- A time of day HH:MM or HH:MM:SS, or null.
create function raw.parse_time(t text) returns time
language sql immutable parallel safe as $$
  select case translate(t, '123456789', '000000000')
    when '00:00' then case when substr(t, 1, 2)::int < 24 and substr(t, 4, 2)::int < 60
      then make_time(substr(t, 1, 2)::int, substr(t, 4, 2)::int, 0) end
    when '00:00:00' then case when substr(t, 1, 2)::int < 24 and substr(t, 4, 2)::int < 60 and substr(t, 7, 2)::int < 60
      then make_time(substr(t, 1, 2)::int, substr(t, 4, 2)::int, substr(t, 7, 2)::int) end
  end
$$;

-- A local timestamp: a date in one of `formats`, a space, then HH:MM or HH:MM:SS; or null.
create function raw.parse_timestamp(s text, formats text[]) returns timestamp
language sql immutable parallel safe as $$
  select raw.parse_date(split_part(s, ' ', 1), formats) + raw.parse_time(substr(s, strpos(s, ' ') + 1))
$$;

-- An amount without spaces: `1234.56`, or with `decimal_comma` also `1234,56` and `1.234,56`; null otherwise.
create function raw.decimal_of(t text, decimal_comma boolean) returns numeric
language sql immutable parallel safe as $$
  select case
    when t ~ '^-{0,1}\d{1,12}([.,]\d{1,2}){0,1}$' then
      case when decimal_comma or strpos(t, ',') = 0 then cast(replace(t, ',', '.') as numeric) end
    when decimal_comma and t ~ '^-{0,1}\d{1,3}(\.\d{3})+(,\d{1,2}){0,1}$' then cast(replace(replace(t, '.', ''), ',', '.') as numeric)
    when not decimal_comma and t ~ '^-{0,1}\d{1,3}(,\d{3})+(\.\d{1,2}){0,1}$' then cast(replace(t, ',', '') as numeric)
  end
$$;

-- An amount as offices write it (`1 234,56` with spaces or no-break spaces grouping thousands), or null.
create function raw.parse_decimal(s text, decimal_comma boolean) returns numeric
language sql immutable parallel safe as $$
  select raw.decimal_of(translate(s, E' \u00a0\u202f', ''), decimal_comma)
$$;

-- A phone number in E.164 (+33612345678), from the ways French offices write them; null when invalid.
-- Overseas departments dial 0 + 9 digits too: their prefixes map to their own country codes.
create function clean.phone_e164(s text) returns text
language plpgsql immutable parallel safe as $$
declare
  d text := regexp_replace(coalesce(s, ''), '[\s.()/-]', '', 'g');
  p text;
begin
  if left(d, 2) = '00' then d := '+' || substr(d, 3); end if;
  if d ~ '^\+33[1-9]\d{8}$' or d ~ '^\+(590|594|596|262|508)[1-9]\d{8}$' then return d; end if;
  if d ~ '^\+(3[0-24-9]|[1-24-9]\d)\d{6,12}$' and d !~ '^\+(33|590|594|596|262|508)' then return d; end if;
  if d !~ '^0[1-9]\d{8}$' then return null; end if;
  p := left(d, 4);
  return case
    when p in ('0590', '0690', '0691') then '+590'
    when p in ('0594', '0694') then '+594'
    when p in ('0596', '0696', '0697') then '+596'
    when p in ('0262', '0263', '0269', '0692', '0693', '0639') then '+262'
    when p = '0508' then '+508'
    else '+33'
  end || substr(d, 2);
end
$$;

-- The IANA time zone of a French postal code (overseas departments have their own).
create function clean.time_zone_of(postal_code text, country text) returns text
language sql immutable parallel safe as $$
  select case
    when coalesce(country, 'FR') <> 'FR' then 'Europe/Paris'
    when postal_code like '971%' or postal_code like '977%' or postal_code like '978%' then 'America/Guadeloupe'
    when postal_code like '972%' then 'America/Martinique'
    when postal_code like '973%' then 'America/Cayenne'
    when postal_code like '974%' then 'Indian/Reunion'
    when postal_code like '975%' then 'America/Miquelon'
    when postal_code like '976%' then 'Indian/Mayotte'
    else 'Europe/Paris'
  end
$$;

-- A name folded for matching the same person across offices: lower case, no accents, single spaces.
create function clean.fold_name(s text) returns text
language sql immutable parallel safe as $$
  select regexp_replace(translate(lower(btrim(s)),
    'àâäáãåçéèêëíìîïñóòôöõúùûüýÿ-''',
    'aaaaaaceeeeiiiinooooouuuuyy  '), '\s+', ' ', 'g')
$$;
