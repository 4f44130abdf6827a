-- analyst.phones: every phone number of a debtor, masked as the API shows it to analysts
-- (+33••••••••78); the clear numbers are not readable by relance_analyst.
-- Parameters: none
create or replace view analyst.phones as
select p.debtor_id, analyst.mask_phone(p.phone_e164) as phone_masked, p.phone_type, p.valid, p.added_on
from clean.phones p
