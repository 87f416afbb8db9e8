-- Baseline for the buying-power report: the plain GROUP BY over raw usage that the aggregates replace.
SELECT agreement_id, date_trunc('quarter', order_date), sum(amount_cents)
FROM cooperage.usage_record
GROUP BY 1, 2;
