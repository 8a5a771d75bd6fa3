-- The read model's schema; its tables arrive with the projections.
SELECT 1;
