-- The facts every candidate contributes to the whole list, one page at a time: the mean payment
-- (the typical payment is their median), the model versions (the list names the most common) and
-- whether the uplift model scored it (the uplift objective needs every candidate scored).
-- Parameters: after (text or null), page_rows (integer)
select debtor_id, avg_payment_amount, model_version_id, uplift_model_version_id, uplift_p
  from publish_candidates
 where cast(:after as text) is null or debtor_id > cast(:after as text)
 order by debtor_id
 limit cast(:page_rows as integer)
