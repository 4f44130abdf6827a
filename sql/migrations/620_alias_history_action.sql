-- What each alias move was, so that `relance models rollback` walks the champion's history
-- backwards (a rollback undoes the last promotion still in force; two rollbacks never swap two
-- versions back and forth). Rows written before this column existed are classified by their reason.
alter table scoring.alias_history
  add column action text check (action in ('registration', 'promotion', 'manual', 'refusal', 'rollback'));

update scoring.alias_history
set action = case
  when alias = 'challenger' then 'registration'
  when not accepted then 'refusal'
  when reason like 'rollback:%' then 'rollback'
  when reason like 'manual:%' then 'manual'
  else 'promotion'
end;

comment on column scoring.alias_history.action is 'registration (challenger), promotion (training), manual (by hand), refusal, or rollback';
