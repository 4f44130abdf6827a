-- Which fit rows a capped training keeps, decided in the database: the very test of keptForFit
-- (src/features/training-sets.ts), a hash of the snapshot date and the debtor id, so a retrain
-- reads only the rows it keeps instead of every row of every snapshot. The hash is FNV-1a over the
-- UTF-16 code units of 'YYYY-MM-DD|debtor_id', then murmur3's finaliser, in 32-bit unsigned
-- arithmetic held in bigints.

-- (a · b) mod 2^32 for a, b < 2^32, without overflowing a bigint.
create function features.mul32(a bigint, b bigint) returns bigint language sql immutable parallel safe as $$
  select ((a * (b & 65535)) + (((a * (b >> 16)) & 65535) << 16)) & 4294967295
$$;

create function features.fit_row_hash(as_of date, debtor_id text) returns bigint language plpgsql immutable parallel safe as $$
declare
  t text := to_char(as_of, 'YYYY-MM-DD') || '|' || debtor_id;
  h bigint := 2166136261;
  c int;
begin
  for i in 1 .. length(t) loop
    c := ascii(substr(t, i, 1));
    if c > 65535 then
      -- outside the basic plane: JavaScript's two surrogate code units
      h := ((h # (55296 + ((c - 65536) >> 10))) * 16777619) & 4294967295;
      h := ((h # (56320 + ((c - 65536) & 1023))) * 16777619) & 4294967295;
    else
      h := ((h # c) * 16777619) & 4294967295;
    end if;
  end loop;
  h := features.mul32(h # (h >> 16), 2246822507);
  h := features.mul32(h # (h >> 13), 3266489909);
  return h # (h >> 16);
end $$;

-- Whether the fit row of (as_of, debtor_id) is kept when a share `keep` of the rows is.
create function features.kept_for_fit(as_of date, debtor_id text, keep double precision) returns boolean language sql immutable parallel safe as $$
  select keep >= 1 or features.fit_row_hash(as_of, debtor_id) / 4294967296.0 < keep
$$;
