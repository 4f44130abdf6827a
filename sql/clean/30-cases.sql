-- Cases (latest extracted version of each case_id) attached to their person, with amounts and
-- dates typed and the office's legal stage and status codes in relance's vocabulary. A case whose
-- debtor is unknown in its office is left out (see orphans).
-- Parameters: none
insert into clean.cases (case_id, debtor_id, office_code, creditor, claim_type, principal, fees, opened_on, legal_stage,
                         status, disputed, _load_id)
with latest as (
  select distinct on (r.case_id collate "C") r.*
  from raw.cases r
  order by r.case_id collate "C", r._load_id desc, r._row_number desc
)
select c.case_id, k.debtor_id, c.office_code, c.creditor, c.claim_type,
       cast(c.principal as numeric(14,2)), cast(coalesce(c.fees, '0') as numeric(14,2)), cast(c.opened_on as date),
       case c.legal_stage when 'AMI' then 'amicable' when 'INJ' then 'injunction' when 'TIT' then 'enforceable_title'
                          when 'SAI' then 'seizure' when 'SUR' then 'over_indebtedness' when 'CLO' then 'closed' end,
       case c.status when 'EN_COURS' then 'open' when 'SOLDE' then 'settled' when 'IRRECOUVRABLE' then 'written_off'
                     when 'SUSPENDU' then 'suspended' end,
       coalesce(c.disputed = '1', false), c._load_id
from latest c
join clean.debtor_keys k on k.office_code = c.office_code and k.source_debtor_id = c.debtor_id
