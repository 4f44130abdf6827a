-- The call room in French: each API token may carry its holder's language (the dashboard's
-- language when no ?lang= or cookie chooses one), and debtors get a search key free of accents
-- and case, so that `frederic` finds Frédéric and `FRÉDÉRIC` finds Frederic on Postgres and PGlite
-- alike (the unaccent extension is not available on PGlite).
alter table access.api_tokens add column language text check (language in ('fr', 'en'));
comment on column access.api_tokens.language is 'Preferred language of the token''s holder (fr or en); null: the office''s locale';

create function clean.search_key(value text) returns text
  language sql immutable parallel safe
  return lower(translate(coalesce(value, ''),
    'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿŸŒœÆæ',
    'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyyYOoAa'));
comment on function clean.search_key(text) is 'Lower case without accents: the key the call-list search compares on both sides';
