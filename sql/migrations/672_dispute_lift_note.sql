-- Why a dispute raised on the phone was lifted (relance disputes lift), for the audit.
alter table dialer.disputes add column lift_note text;
comment on column dialer.disputes.lift_note is 'Why the dispute was lifted (set with lifted_on)';
