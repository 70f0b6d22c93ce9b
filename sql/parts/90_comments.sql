
-- Comments on every object ----------------------------------------------------
--
-- Every comment of the extension is set here, once: on each aggregate
-- overload, function, result type and result-type column.  The support
-- functions (hte_*) say that they are internal.  As a part numbered 50 and
-- up, this file also ends the upgrade script from 1.0, so an updated 1.0
-- installation gets the same comments as a fresh one: keep it to COMMENT ON
-- statements, valid in both.  sql/comments.sql checks that no member object
-- and no result-type column is left without a comment.

-- ate(y, treated) -------------------------------------------------------------

COMMENT ON TYPE hte_ate IS
    'result of ate(): difference in means with the Welch standard error, t interval and p-value';
COMMENT ON COLUMN hte_ate.estimate IS
    'mean_treated − mean_control (the risk difference for a boolean outcome); NULL when an arm is empty';
COMMENT ON COLUMN hte_ate.std_error IS
    'Welch (Neyman) standard error of the estimate, sqrt(s1²/n1 + s0²/n0), s² the sample variance (n − 1); NULL when an arm has fewer than two rows';
COMMENT ON COLUMN hte_ate.ci_lower IS
    'lower bound of the t confidence interval, estimate − t(df, 1 − α/2)·std_error, α = 1 − hte.confidence_level; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_ate.ci_upper IS
    'upper bound of the t confidence interval, estimate + t(df, 1 − α/2)·std_error, α = 1 − hte.confidence_level; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_ate.p_value IS
    'two-sided p-value of the Welch t test of estimate = 0, Student t with df; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_ate.df IS
    'Welch–Satterthwaite degrees of freedom (v1 + v0)² / (v1²/(n1 − 1) + v0²/(n0 − 1)), v = s²/n; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_ate.n_treated IS
    'number of treated rows used (outcome and treatment not NULL)';
COMMENT ON COLUMN hte_ate.n_control IS
    'number of control rows used (outcome and treatment not NULL)';
COMMENT ON COLUMN hte_ate.mean_treated IS
    'mean outcome of the treated arm (the share of true for a boolean outcome); NULL when the arm is empty';
COMMENT ON COLUMN hte_ate.mean_control IS
    'mean outcome of the control arm (the share of true for a boolean outcome); NULL when the arm is empty';
COMMENT ON COLUMN hte_ate.sd_treated IS
    'sample standard deviation (n − 1) of the outcome in the treated arm; NULL when the arm has fewer than two rows';
COMMENT ON COLUMN hte_ate.sd_control IS
    'sample standard deviation (n − 1) of the outcome in the control arm; NULL when the arm has fewer than two rows';

COMMENT ON AGGREGATE ate(float8, boolean) IS
    'average treatment effect: difference in means (risk difference for a boolean outcome), Welch standard error, t interval and p-value; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(float8, smallint) IS
    'average treatment effect: difference in means (risk difference for a boolean outcome), Welch standard error, t interval and p-value; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(float8, integer) IS
    'average treatment effect: difference in means (risk difference for a boolean outcome), Welch standard error, t interval and p-value; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(float8, bigint) IS
    'average treatment effect: difference in means (risk difference for a boolean outcome), Welch standard error, t interval and p-value; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(boolean, boolean) IS
    'average treatment effect: difference in means (risk difference for a boolean outcome), Welch standard error, t interval and p-value; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(boolean, smallint) IS
    'average treatment effect: difference in means (risk difference for a boolean outcome), Welch standard error, t interval and p-value; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(boolean, integer) IS
    'average treatment effect: difference in means (risk difference for a boolean outcome), Welch standard error, t interval and p-value; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(boolean, bigint) IS
    'average treatment effect: difference in means (risk difference for a boolean outcome), Welch standard error, t interval and p-value; treated: boolean, or 0/1 smallint/integer/bigint';

COMMENT ON FUNCTION hte_ate_trans(float8[], float8, boolean) IS
    'internal: transition function of ate(float8, boolean); not for direct use';
COMMENT ON FUNCTION hte_ate_trans(float8[], float8, smallint) IS
    'internal: transition function of ate(float8, smallint); not for direct use';
COMMENT ON FUNCTION hte_ate_trans(float8[], float8, integer) IS
    'internal: transition function of ate(float8, integer); not for direct use';
COMMENT ON FUNCTION hte_ate_trans(float8[], float8, bigint) IS
    'internal: transition function of ate(float8, bigint); not for direct use';
COMMENT ON FUNCTION hte_ate_trans(float8[], boolean, boolean) IS
    'internal: transition function of ate(boolean, boolean); not for direct use';
COMMENT ON FUNCTION hte_ate_trans(float8[], boolean, smallint) IS
    'internal: transition function of ate(boolean, smallint); not for direct use';
COMMENT ON FUNCTION hte_ate_trans(float8[], boolean, integer) IS
    'internal: transition function of ate(boolean, integer); not for direct use';
COMMENT ON FUNCTION hte_ate_trans(float8[], boolean, bigint) IS
    'internal: transition function of ate(boolean, bigint); not for direct use';
-- The README documents these two for rollup tables that store ate states.
COMMENT ON FUNCTION hte_ate_combine(float8[], float8[]) IS
    'internal: combine function of every ate() overload; also merges two stored ate states (float8[]) for a rollup table';
COMMENT ON FUNCTION hte_ate_final(float8[]) IS
    'internal: final function of every ate() overload; also turns a stored ate state (float8[]) into an hte_ate';

-- interaction_test(y, treated, x [, se_type]) ---------------------------------

COMMENT ON TYPE hte_interaction IS
    'result of interaction_test(): effect modification by a continuous moderator x, from the OLS fit y ~ treated * x';
COMMENT ON COLUMN hte_interaction.interaction IS
    'γ, the coefficient of treated × x: slope of y on x in the treated arm − slope in the control arm; NULL with fewer than five rows or no spread of x within an arm';
COMMENT ON COLUMN hte_interaction.std_error IS
    'standard error of interaction, by the variance estimator se_type';
COMMENT ON COLUMN hte_interaction.ci_lower IS
    'lower bound of the t confidence interval for interaction, df = n − 4, level hte.confidence_level';
COMMENT ON COLUMN hte_interaction.ci_upper IS
    'upper bound of the t confidence interval for interaction, df = n − 4, level hte.confidence_level';
COMMENT ON COLUMN hte_interaction.p_value IS
    'two-sided p-value of the t test of interaction = 0, Student t with df = n − 4';
COMMENT ON COLUMN hte_interaction.effect_at_zero IS
    'τ, the treatment effect at x = 0 (the coefficient of treated)';
COMMENT ON COLUMN hte_interaction.effect_at_zero_se IS
    'standard error of effect_at_zero, by the variance estimator se_type';
COMMENT ON COLUMN hte_interaction.effect_at_mean IS
    'τ + γ·x̄, the treatment effect at the mean of x over all rows used';
COMMENT ON COLUMN hte_interaction.effect_at_mean_se IS
    'standard error of effect_at_mean, by the variance estimator se_type';
COMMENT ON COLUMN hte_interaction.df IS
    'residual degrees of freedom n − 4, n = n_treated + n_control; NULL with fewer than five rows';
COMMENT ON COLUMN hte_interaction.n_treated IS
    'number of treated rows used (y, treated and x not NULL)';
COMMENT ON COLUMN hte_interaction.n_control IS
    'number of control rows used (y, treated and x not NULL)';
COMMENT ON COLUMN hte_interaction.se_type IS
    'the variance estimator used: classical, HC0, HC1 (the three-argument form), HC2 or HC3';

COMMENT ON AGGREGATE interaction_test(float8, boolean, float8) IS
    'effect modification by a continuous moderator x: OLS of y ~ treated * x, HC1 standard errors, t test of the interaction; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, smallint, float8) IS
    'effect modification by a continuous moderator x: OLS of y ~ treated * x, HC1 standard errors, t test of the interaction; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, integer, float8) IS
    'effect modification by a continuous moderator x: OLS of y ~ treated * x, HC1 standard errors, t test of the interaction; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, bigint, float8) IS
    'effect modification by a continuous moderator x: OLS of y ~ treated * x, HC1 standard errors, t test of the interaction; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, boolean, float8, text) IS
    'effect modification by a continuous moderator x: OLS of y ~ treated * x with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, smallint, float8, text) IS
    'effect modification by a continuous moderator x: OLS of y ~ treated * x with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, integer, float8, text) IS
    'effect modification by a continuous moderator x: OLS of y ~ treated * x with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, bigint, float8, text) IS
    'effect modification by a continuous moderator x: OLS of y ~ treated * x with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows); treated: boolean, or 0/1 smallint/integer/bigint';

COMMENT ON FUNCTION hte_it_trans(float8[], float8, boolean, float8) IS
    'internal: transition function of interaction_test(float8, boolean, float8); not for direct use';
COMMENT ON FUNCTION hte_it_trans(float8[], float8, smallint, float8) IS
    'internal: transition function of interaction_test(float8, smallint, float8); not for direct use';
COMMENT ON FUNCTION hte_it_trans(float8[], float8, integer, float8) IS
    'internal: transition function of interaction_test(float8, integer, float8); not for direct use';
COMMENT ON FUNCTION hte_it_trans(float8[], float8, bigint, float8) IS
    'internal: transition function of interaction_test(float8, bigint, float8); not for direct use';
COMMENT ON FUNCTION hte_it_combine(float8[], float8[]) IS
    'internal: combine function of interaction_test(y, treated, x), every treatment type; not for direct use';
COMMENT ON FUNCTION hte_it_final(float8[]) IS
    'internal: final function of interaction_test(y, treated, x), every treatment type; not for direct use';

COMMENT ON FUNCTION hte_it4_trans(internal, float8, boolean, float8, text) IS
    'internal: transition function of interaction_test(float8, boolean, float8, text); not for direct use';
COMMENT ON FUNCTION hte_it4_trans(internal, float8, smallint, float8, text) IS
    'internal: transition function of interaction_test(float8, smallint, float8, text); not for direct use';
COMMENT ON FUNCTION hte_it4_trans(internal, float8, integer, float8, text) IS
    'internal: transition function of interaction_test(float8, integer, float8, text); not for direct use';
COMMENT ON FUNCTION hte_it4_trans(internal, float8, bigint, float8, text) IS
    'internal: transition function of interaction_test(float8, bigint, float8, text); not for direct use';
COMMENT ON FUNCTION hte_it4_combine(internal, internal) IS
    'internal: combine function of interaction_test(y, treated, x, se_type), every treatment type; not for direct use';
COMMENT ON FUNCTION hte_it4_serialize(internal) IS
    'internal: serialize function of interaction_test(y, treated, x, se_type), every treatment type; not for direct use';
COMMENT ON FUNCTION hte_it4_deserialize(bytea, internal) IS
    'internal: deserialize function of interaction_test(y, treated, x, se_type), every treatment type; not for direct use';
COMMENT ON FUNCTION hte_it4_final(internal) IS
    'internal: final function of interaction_test(y, treated, x, se_type), every treatment type; not for direct use';

-- cate_by(y, treated, subgroup [, p_adjust_method]), heterogeneity_test,
-- p_adjust -------------------------------------------------------------------

COMMENT ON TYPE hte_subgroup IS
    'one subgroup of cate_by(): the subgroup value, the ate() columns for that subgroup and the adjusted p-value';
COMMENT ON COLUMN hte_subgroup.subgroup IS
    'the subgroup value in its text form; NULL for the NULL subgroup';
COMMENT ON COLUMN hte_subgroup.estimate IS
    'mean_treated − mean_control in the subgroup; NULL when an arm is empty';
COMMENT ON COLUMN hte_subgroup.std_error IS
    'Welch (Neyman) standard error of the estimate, sqrt(s1²/n1 + s0²/n0), s² the sample variance (n − 1); NULL when an arm has fewer than two rows';
COMMENT ON COLUMN hte_subgroup.ci_lower IS
    'lower bound of the t confidence interval, estimate − t(df, 1 − α/2)·std_error, α = 1 − hte.confidence_level; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_subgroup.ci_upper IS
    'upper bound of the t confidence interval, estimate + t(df, 1 − α/2)·std_error, α = 1 − hte.confidence_level; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_subgroup.p_value IS
    'two-sided p-value of the Welch t test of estimate = 0, Student t with df, unadjusted; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_subgroup.df IS
    'Welch–Satterthwaite degrees of freedom (v1 + v0)² / (v1²/(n1 − 1) + v0²/(n0 − 1)), v = s²/n; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_subgroup.n_treated IS
    'number of treated rows used in the subgroup (outcome and treatment not NULL)';
COMMENT ON COLUMN hte_subgroup.n_control IS
    'number of control rows used in the subgroup (outcome and treatment not NULL)';
COMMENT ON COLUMN hte_subgroup.mean_treated IS
    'mean outcome of the treated arm in the subgroup; NULL when the arm is empty';
COMMENT ON COLUMN hte_subgroup.mean_control IS
    'mean outcome of the control arm in the subgroup; NULL when the arm is empty';
COMMENT ON COLUMN hte_subgroup.sd_treated IS
    'sample standard deviation (n − 1) of the outcome in the subgroup''s treated arm; NULL when the arm has fewer than two rows';
COMMENT ON COLUMN hte_subgroup.sd_control IS
    'sample standard deviation (n − 1) of the outcome in the subgroup''s control arm; NULL when the arm has fewer than two rows';
COMMENT ON COLUMN hte_subgroup.p_adjusted IS
    'p_value adjusted across the subgroups that have one, by Holm''s method or by p_adjust_method; NULL when p_value is NULL';

COMMENT ON TYPE hte_heterogeneity IS
    'result of heterogeneity_test(): Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test';
COMMENT ON COLUMN hte_heterogeneity.subgroups IS
    'k, the number of subgroups used: those whose std_error is defined and positive';
COMMENT ON COLUMN hte_heterogeneity.q_statistic IS
    'Cochran''s Q = Σ w_i (D_i − D̄)², D_i the subgroup estimates, w_i = 1/SE_i²';
COMMENT ON COLUMN hte_heterogeneity.df IS
    'degrees of freedom of Q, k − 1';
COMMENT ON COLUMN hte_heterogeneity.p_value IS
    'p-value of Q, upper tail of χ²(k − 1); NULL with one subgroup';
COMMENT ON COLUMN hte_heterogeneity.i_squared IS
    'I² = max(0, (Q − df)/Q), 0 when Q = 0: the share of variation due to heterogeneity, a fraction, not a percentage';
COMMENT ON COLUMN hte_heterogeneity.tau_squared IS
    'DerSimonian–Laird between-subgroup variance τ² = max(0, (Q − df)/(Σw − Σw²/Σw)); NULL with one subgroup';
COMMENT ON COLUMN hte_heterogeneity.pooled_estimate IS
    'fixed-effect (inverse-variance weighted) mean of the subgroup estimates, D̄ = Σ w_i D_i / Σ w_i';
COMMENT ON COLUMN hte_heterogeneity.pooled_std_error IS
    'standard error of pooled_estimate, sqrt(1/Σw)';
COMMENT ON COLUMN hte_heterogeneity.crossover_statistic IS
    'Gail–Simon statistic min(Q⁺, Q⁻), Q⁻ = Σ over D_i > 0 of D_i²/SE_i², Q⁺ = Σ over D_i < 0 of D_i²/SE_i²';
COMMENT ON COLUMN hte_heterogeneity.crossover_p_value IS
    'Gail–Simon p-value of a crossover (effects of opposite sign), Σ_{h=1}^{k−1} C(k−1, h)/2^(k−1) · P(χ²(h) ≥ crossover_statistic); NULL with one subgroup';

COMMENT ON AGGREGATE cate_by(float8, boolean, anyelement) IS
    'treatment effect per subgroup: one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, smallint, anyelement) IS
    'treatment effect per subgroup: one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, integer, anyelement) IS
    'treatment effect per subgroup: one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, bigint, anyelement) IS
    'treatment effect per subgroup: one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, boolean, anyelement, text) IS
    'treatment effect per subgroup: one hte_subgroup (the ate() columns) per subgroup value, p-values adjusted by p_adjust_method none, bonferroni, holm, hochberg, BH (or fdr) or BY; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, smallint, anyelement, text) IS
    'treatment effect per subgroup: one hte_subgroup (the ate() columns) per subgroup value, p-values adjusted by p_adjust_method none, bonferroni, holm, hochberg, BH (or fdr) or BY; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, integer, anyelement, text) IS
    'treatment effect per subgroup: one hte_subgroup (the ate() columns) per subgroup value, p-values adjusted by p_adjust_method none, bonferroni, holm, hochberg, BH (or fdr) or BY; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, bigint, anyelement, text) IS
    'treatment effect per subgroup: one hte_subgroup (the ate() columns) per subgroup value, p-values adjusted by p_adjust_method none, bonferroni, holm, hochberg, BH (or fdr) or BY; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, boolean, anyelement) IS
    'does the effect differ across subgroups? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, smallint, anyelement) IS
    'does the effect differ across subgroups? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, integer, anyelement) IS
    'does the effect differ across subgroups? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, bigint, anyelement) IS
    'does the effect differ across subgroups? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';

COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, anyelement) IS
    'internal: transition function of cate_by(float8, boolean, anyelement) and heterogeneity_test(float8, boolean, anyelement); not for direct use';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, anyelement) IS
    'internal: transition function of cate_by(float8, smallint, anyelement) and heterogeneity_test(float8, smallint, anyelement); not for direct use';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, anyelement) IS
    'internal: transition function of cate_by(float8, integer, anyelement) and heterogeneity_test(float8, integer, anyelement); not for direct use';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, anyelement) IS
    'internal: transition function of cate_by(float8, bigint, anyelement) and heterogeneity_test(float8, bigint, anyelement); not for direct use';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, anyelement, text) IS
    'internal: transition function of cate_by(float8, boolean, anyelement, text); not for direct use';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, anyelement, text) IS
    'internal: transition function of cate_by(float8, smallint, anyelement, text); not for direct use';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, anyelement, text) IS
    'internal: transition function of cate_by(float8, integer, anyelement, text); not for direct use';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, anyelement, text) IS
    'internal: transition function of cate_by(float8, bigint, anyelement, text); not for direct use';
COMMENT ON FUNCTION hte_sg_combine(internal, internal) IS
    'internal: combine function of cate_by() and heterogeneity_test(), every overload; not for direct use';
COMMENT ON FUNCTION hte_sg_serialize(internal) IS
    'internal: serialize function of cate_by() and heterogeneity_test(), every overload; not for direct use';
COMMENT ON FUNCTION hte_sg_deserialize(bytea, internal) IS
    'internal: deserialize function of cate_by() and heterogeneity_test(), every overload; not for direct use';
COMMENT ON FUNCTION hte_cate_by_final(internal, float8, boolean, anyelement) IS
    'internal: final function of cate_by(float8, boolean, anyelement); not for direct use';
COMMENT ON FUNCTION hte_cate_by_final(internal, float8, smallint, anyelement) IS
    'internal: final function of cate_by(float8, smallint, anyelement); not for direct use';
COMMENT ON FUNCTION hte_cate_by_final(internal, float8, integer, anyelement) IS
    'internal: final function of cate_by(float8, integer, anyelement); not for direct use';
COMMENT ON FUNCTION hte_cate_by_final(internal, float8, bigint, anyelement) IS
    'internal: final function of cate_by(float8, bigint, anyelement); not for direct use';
COMMENT ON FUNCTION hte_cate_by_final(internal, float8, boolean, anyelement, text) IS
    'internal: final function of cate_by(float8, boolean, anyelement, text); not for direct use';
COMMENT ON FUNCTION hte_cate_by_final(internal, float8, smallint, anyelement, text) IS
    'internal: final function of cate_by(float8, smallint, anyelement, text); not for direct use';
COMMENT ON FUNCTION hte_cate_by_final(internal, float8, integer, anyelement, text) IS
    'internal: final function of cate_by(float8, integer, anyelement, text); not for direct use';
COMMENT ON FUNCTION hte_cate_by_final(internal, float8, bigint, anyelement, text) IS
    'internal: final function of cate_by(float8, bigint, anyelement, text); not for direct use';
COMMENT ON FUNCTION hte_heterogeneity_final(internal, float8, boolean, anyelement) IS
    'internal: final function of heterogeneity_test(float8, boolean, anyelement); not for direct use';
COMMENT ON FUNCTION hte_heterogeneity_final(internal, float8, smallint, anyelement) IS
    'internal: final function of heterogeneity_test(float8, smallint, anyelement); not for direct use';
COMMENT ON FUNCTION hte_heterogeneity_final(internal, float8, integer, anyelement) IS
    'internal: final function of heterogeneity_test(float8, integer, anyelement); not for direct use';
COMMENT ON FUNCTION hte_heterogeneity_final(internal, float8, bigint, anyelement) IS
    'internal: final function of heterogeneity_test(float8, bigint, anyelement); not for direct use';

COMMENT ON FUNCTION p_adjust(float8[], text) IS
    'p-values adjusted as R''s p.adjust, method none, bonferroni, holm (default), hochberg, BH (or fdr) or BY; NULL elements stay NULL and do not count in n';

-- qte(y, treated, q), qte(y, treated, q[]), homogeneity_test(y, treated) ------

COMMENT ON TYPE hte_qte IS
    'result of qte(): quantile treatment effect at one level q with a Hall–Sheather standard error';
COMMENT ON COLUMN hte_qte.quantile IS
    'the quantile level q, in [0, 1]';
COMMENT ON COLUMN hte_qte.estimate IS
    'quantile_treated − quantile_control; NULL when an arm is empty';
COMMENT ON COLUMN hte_qte.quantile_treated IS
    'the treated arm''s quantile at q, linear interpolation (R quantile type 7), equal to percentile_cont(q) over that arm; NULL when the arm is empty';
COMMENT ON COLUMN hte_qte.quantile_control IS
    'the control arm''s quantile at q, linear interpolation (R quantile type 7), equal to percentile_cont(q) over that arm; NULL when the arm is empty';
COMMENT ON COLUMN hte_qte.std_error IS
    'standard error of the estimate, sqrt(V1 + V0), V_a = q(1 − q)·ŝ_a²/n_a with ŝ_a the sparsity over the Hall–Sheather bandwidth; NULL at q = 0 or 1 or when an arm has one value';
COMMENT ON COLUMN hte_qte.ci_lower IS
    'lower bound of the normal confidence interval, estimate − z·std_error, z = Φ⁻¹(1 − α/2), α = 1 − hte.confidence_level; NULL when std_error is NULL';
COMMENT ON COLUMN hte_qte.ci_upper IS
    'upper bound of the normal confidence interval, estimate + z·std_error, z = Φ⁻¹(1 − α/2), α = 1 − hte.confidence_level; NULL when std_error is NULL';
COMMENT ON COLUMN hte_qte.p_value IS
    'two-sided normal p-value for estimate = 0; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_qte.n_treated IS
    'number of treated rows used (outcome and treatment not NULL)';
COMMENT ON COLUMN hte_qte.n_control IS
    'number of control rows used (outcome and treatment not NULL)';

COMMENT ON TYPE hte_homogeneity IS
    'result of homogeneity_test(): evidence against a constant treatment effect';
COMMENT ON COLUMN hte_homogeneity.variance_treated IS
    's1², the sample variance (n − 1) of the outcome in the treated arm';
COMMENT ON COLUMN hte_homogeneity.variance_control IS
    's0², the sample variance (n − 1) of the outcome in the control arm';
COMMENT ON COLUMN hte_homogeneity.variance_ratio IS
    's1²/s0², the ratio of the treated to the control variance';
COMMENT ON COLUMN hte_homogeneity.variance_ratio_p_value IS
    'two-sided p-value of the F test of equal variances (R var.test); assumes normal outcomes, rejects too often otherwise';
COMMENT ON COLUMN hte_homogeneity.ite_sd_lower IS
    'sharp lower bound on the standard deviation of the individual treatment effects, |s1 − s0|';
COMMENT ON COLUMN hte_homogeneity.ite_sd_upper IS
    'sharp upper bound on the standard deviation of the individual treatment effects, s1 + s0';
COMMENT ON COLUMN hte_homogeneity.qte_flatness_statistic IS
    'Wald statistic of the test that the quantile treatment effects at q = 0.1, 0.2, …, 0.9 are all equal; NULL when ties make its covariance singular';
COMMENT ON COLUMN hte_homogeneity.qte_flatness_df IS
    'degrees of freedom of the flatness test, 8';
COMMENT ON COLUMN hte_homogeneity.qte_flatness_p_value IS
    'p-value of the flatness test, upper tail of χ²(8); NULL when the statistic is NULL';

COMMENT ON AGGREGATE qte(float8, boolean, float8) IS
    'quantile treatment effect at level q: difference of the arms'' percentile_cont(q), Hall–Sheather standard error, normal interval; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE qte(float8, smallint, float8) IS
    'quantile treatment effect at level q: difference of the arms'' percentile_cont(q), Hall–Sheather standard error, normal interval; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE qte(float8, integer, float8) IS
    'quantile treatment effect at level q: difference of the arms'' percentile_cont(q), Hall–Sheather standard error, normal interval; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE qte(float8, bigint, float8) IS
    'quantile treatment effect at level q: difference of the arms'' percentile_cont(q), Hall–Sheather standard error, normal interval; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE qte(float8, boolean, float8[]) IS
    'quantile treatment effects at several levels from one pass: one hte_qte per element of q, in the order given; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE qte(float8, smallint, float8[]) IS
    'quantile treatment effects at several levels from one pass: one hte_qte per element of q, in the order given; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE qte(float8, integer, float8[]) IS
    'quantile treatment effects at several levels from one pass: one hte_qte per element of q, in the order given; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE qte(float8, bigint, float8[]) IS
    'quantile treatment effects at several levels from one pass: one hte_qte per element of q, in the order given; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE homogeneity_test(float8, boolean) IS
    'evidence against a constant effect: variance-ratio F test, sharp bounds on the SD of individual effects, QTE flatness Wald test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE homogeneity_test(float8, smallint) IS
    'evidence against a constant effect: variance-ratio F test, sharp bounds on the SD of individual effects, QTE flatness Wald test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE homogeneity_test(float8, integer) IS
    'evidence against a constant effect: variance-ratio F test, sharp bounds on the SD of individual effects, QTE flatness Wald test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE homogeneity_test(float8, bigint) IS
    'evidence against a constant effect: variance-ratio F test, sharp bounds on the SD of individual effects, QTE flatness Wald test; treated: boolean, or 0/1 smallint/integer/bigint';

COMMENT ON FUNCTION hte_qte_trans(internal, float8, boolean, float8) IS
    'internal: transition function of qte(float8, boolean, float8); not for direct use';
COMMENT ON FUNCTION hte_qte_trans(internal, float8, smallint, float8) IS
    'internal: transition function of qte(float8, smallint, float8); not for direct use';
COMMENT ON FUNCTION hte_qte_trans(internal, float8, integer, float8) IS
    'internal: transition function of qte(float8, integer, float8); not for direct use';
COMMENT ON FUNCTION hte_qte_trans(internal, float8, bigint, float8) IS
    'internal: transition function of qte(float8, bigint, float8); not for direct use';
COMMENT ON FUNCTION hte_qte_trans(internal, float8, boolean, float8[]) IS
    'internal: transition function of qte(float8, boolean, float8[]); not for direct use';
COMMENT ON FUNCTION hte_qte_trans(internal, float8, smallint, float8[]) IS
    'internal: transition function of qte(float8, smallint, float8[]); not for direct use';
COMMENT ON FUNCTION hte_qte_trans(internal, float8, integer, float8[]) IS
    'internal: transition function of qte(float8, integer, float8[]); not for direct use';
COMMENT ON FUNCTION hte_qte_trans(internal, float8, bigint, float8[]) IS
    'internal: transition function of qte(float8, bigint, float8[]); not for direct use';
COMMENT ON FUNCTION hte_homogeneity_trans(internal, float8, boolean) IS
    'internal: transition function of homogeneity_test(float8, boolean); not for direct use';
COMMENT ON FUNCTION hte_homogeneity_trans(internal, float8, smallint) IS
    'internal: transition function of homogeneity_test(float8, smallint); not for direct use';
COMMENT ON FUNCTION hte_homogeneity_trans(internal, float8, integer) IS
    'internal: transition function of homogeneity_test(float8, integer); not for direct use';
COMMENT ON FUNCTION hte_homogeneity_trans(internal, float8, bigint) IS
    'internal: transition function of homogeneity_test(float8, bigint); not for direct use';
COMMENT ON FUNCTION hte_qte_combine(internal, internal) IS
    'internal: combine function of qte() and homogeneity_test(), every overload; not for direct use';
COMMENT ON FUNCTION hte_qte_serialize(internal) IS
    'internal: serialize function of qte() and homogeneity_test(), every overload; not for direct use';
COMMENT ON FUNCTION hte_qte_deserialize(bytea, internal) IS
    'internal: deserialize function of qte() and homogeneity_test(), every overload; not for direct use';
COMMENT ON FUNCTION hte_qte_final(internal) IS
    'internal: final function of qte(y, treated, q float8), every treatment type; not for direct use';
COMMENT ON FUNCTION hte_qte_final_array(internal) IS
    'internal: final function of qte(y, treated, q float8[]), every treatment type; not for direct use';
COMMENT ON FUNCTION hte_homogeneity_final(internal) IS
    'internal: final function of homogeneity_test(), every treatment type; not for direct use';

-- A text-coded treatment (since 1.1): the aggregates only raise an error ------

COMMENT ON AGGREGATE ate(float8, text) IS
    'a text-coded treatment: always raises an error (42804) whose hint shows the idiom that works, ate(y, arm = ''A''); computes nothing';
COMMENT ON AGGREGATE ate(boolean, text) IS
    'a text-coded treatment: always raises an error (42804) whose hint shows the idiom that works, ate(y, arm = ''A''); computes nothing';
COMMENT ON AGGREGATE interaction_test(float8, text, float8) IS
    'a text-coded treatment: always raises an error (42804) whose hint shows the idiom that works, interaction_test(y, arm = ''A'', x); computes nothing';
COMMENT ON AGGREGATE interaction_test(float8, text, float8, text) IS
    'a text-coded treatment: always raises an error (42804) whose hint shows the idiom that works, interaction_test(y, arm = ''A'', x, se_type); computes nothing';
COMMENT ON AGGREGATE cate_by(float8, text, anyelement) IS
    'a text-coded treatment: always raises an error (42804) whose hint shows the idiom that works, cate_by(y, arm = ''A'', subgroup); computes nothing';
COMMENT ON AGGREGATE cate_by(float8, text, anyelement, text) IS
    'a text-coded treatment: always raises an error (42804) whose hint shows the idiom that works, cate_by(y, arm = ''A'', subgroup, p_adjust_method); computes nothing';
COMMENT ON AGGREGATE heterogeneity_test(float8, text, anyelement) IS
    'a text-coded treatment: always raises an error (42804) whose hint shows the idiom that works, heterogeneity_test(y, arm = ''A'', subgroup); computes nothing';
COMMENT ON AGGREGATE qte(float8, text, float8) IS
    'a text-coded treatment: always raises an error (42804) whose hint shows the idiom that works, qte(y, arm = ''A'', q); computes nothing';
COMMENT ON AGGREGATE qte(float8, text, float8[]) IS
    'a text-coded treatment: always raises an error (42804) whose hint shows the idiom that works, qte(y, arm = ''A'', q); computes nothing';
COMMENT ON AGGREGATE homogeneity_test(float8, text) IS
    'a text-coded treatment: always raises an error (42804) whose hint shows the idiom that works, homogeneity_test(y, arm = ''A''); computes nothing';

COMMENT ON FUNCTION hte_text_treatment_trans(text, "any", "any") IS
    'internal: transition function of ate(float8, text), ate(boolean, text) and homogeneity_test(float8, text); raises the text-treatment error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_trans(text, "any", "any", "any") IS
    'internal: transition function of interaction_test(float8, text, float8), cate_by(float8, text, anyelement), heterogeneity_test(float8, text, anyelement) and both qte(float8, text, …); raises the text-treatment error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_trans(text, "any", "any", "any", "any") IS
    'internal: transition function of interaction_test(float8, text, float8, text) and cate_by(float8, text, anyelement, text); raises the text-treatment error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_ate(text) IS
    'internal: final function of ate(float8, text) and ate(boolean, text); raises the text-treatment error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_interaction(text) IS
    'internal: final function of interaction_test(float8, text, float8 [, text]); raises the text-treatment error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_subgroups(text) IS
    'internal: final function of cate_by(float8, text, anyelement [, text]); raises the text-treatment error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_heterogeneity(text) IS
    'internal: final function of heterogeneity_test(float8, text, anyelement); raises the text-treatment error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_qte(text) IS
    'internal: final function of qte(float8, text, float8); raises the text-treatment error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_qtes(text) IS
    'internal: final function of qte(float8, text, float8[]); raises the text-treatment error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_homogeneity(text) IS
    'internal: final function of homogeneity_test(float8, text); raises the text-treatment error; not for direct use';
