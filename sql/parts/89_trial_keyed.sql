
-- ate_blocked and ate_clustered (since 1.1; issue 17): cate_by's keyed
-- state (its transition, combine and serialization functions), keyed by the
-- block or the cluster, with final functions of their own.
CREATE FUNCTION hte_ate_blocked_final(internal) RETURNS hte_ate
    AS 'MODULE_PATHNAME', 'hte_ate_blocked_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_ate_clustered_final(internal) RETURNS hte_ate
    AS 'MODULE_PATHNAME', 'hte_ate_clustered_final' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION hte_ate_blocked_final(internal) IS 'internal: final function of ate_blocked; not for direct use';
COMMENT ON FUNCTION hte_ate_clustered_final(internal) IS 'internal: final function of ate_clustered; not for direct use';

CREATE AGGREGATE ate_blocked(y float8, treated boolean, block anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated boolean, cluster anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, boolean, anyelement) IS
    'blocked (stratified) difference in means Σ (N_j/N) D_j with variance Σ (N_j/N)² V_j and N − 2J df, or the matched-pair variance when blocks are pairs, as estimatr::difference_in_means(blocks =)';
COMMENT ON AGGREGATE ate_clustered(float8, boolean, anyelement) IS
    'difference in means of cluster-randomised rows with the CR2 standard error and Bell–McCaffrey degrees of freedom of estimatr::difference_in_means(clusters =)';

CREATE AGGREGATE ate_blocked(y float8, treated smallint, block anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated smallint, cluster anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, smallint, anyelement) IS
    'blocked (stratified) difference in means Σ (N_j/N) D_j with variance Σ (N_j/N)² V_j and N − 2J df, or the matched-pair variance when blocks are pairs, as estimatr::difference_in_means(blocks =)';
COMMENT ON AGGREGATE ate_clustered(float8, smallint, anyelement) IS
    'difference in means of cluster-randomised rows with the CR2 standard error and Bell–McCaffrey degrees of freedom of estimatr::difference_in_means(clusters =)';

CREATE AGGREGATE ate_blocked(y float8, treated integer, block anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated integer, cluster anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, integer, anyelement) IS
    'blocked (stratified) difference in means Σ (N_j/N) D_j with variance Σ (N_j/N)² V_j and N − 2J df, or the matched-pair variance when blocks are pairs, as estimatr::difference_in_means(blocks =)';
COMMENT ON AGGREGATE ate_clustered(float8, integer, anyelement) IS
    'difference in means of cluster-randomised rows with the CR2 standard error and Bell–McCaffrey degrees of freedom of estimatr::difference_in_means(clusters =)';

CREATE AGGREGATE ate_blocked(y float8, treated bigint, block anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated bigint, cluster anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, bigint, anyelement) IS
    'blocked (stratified) difference in means Σ (N_j/N) D_j with variance Σ (N_j/N)² V_j and N − 2J df, or the matched-pair variance when blocks are pairs, as estimatr::difference_in_means(blocks =)';
COMMENT ON AGGREGATE ate_clustered(float8, bigint, anyelement) IS
    'difference in means of cluster-randomised rows with the CR2 standard error and Bell–McCaffrey degrees of freedom of estimatr::difference_in_means(clusters =)';

-- ate_blocked and ate_clustered with a block or cluster of a common type,
-- as cate_by has them (86_subgroup_types.sql): preferred for columns of
-- those types, and what Citus can ship (it calls the functions without a
-- call expression, from which the anyelement forms read the key's type).

CREATE AGGREGATE ate_blocked(y float8, treated boolean, block text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated boolean, cluster text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, boolean, text) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a text block';
COMMENT ON AGGREGATE ate_clustered(float8, boolean, text) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a text cluster';

CREATE AGGREGATE ate_blocked(y float8, treated smallint, block text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated smallint, cluster text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, smallint, text) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a text block';
COMMENT ON AGGREGATE ate_clustered(float8, smallint, text) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a text cluster';

CREATE AGGREGATE ate_blocked(y float8, treated integer, block text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated integer, cluster text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, integer, text) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a text block';
COMMENT ON AGGREGATE ate_clustered(float8, integer, text) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a text cluster';

CREATE AGGREGATE ate_blocked(y float8, treated bigint, block text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated bigint, cluster text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, bigint, text) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a text block';
COMMENT ON AGGREGATE ate_clustered(float8, bigint, text) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a text cluster';

CREATE AGGREGATE ate_blocked(y float8, treated boolean, block integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated boolean, cluster integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, boolean, integer) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a integer block';
COMMENT ON AGGREGATE ate_clustered(float8, boolean, integer) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a integer cluster';

CREATE AGGREGATE ate_blocked(y float8, treated smallint, block integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated smallint, cluster integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, smallint, integer) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a integer block';
COMMENT ON AGGREGATE ate_clustered(float8, smallint, integer) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a integer cluster';

CREATE AGGREGATE ate_blocked(y float8, treated integer, block integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated integer, cluster integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, integer, integer) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a integer block';
COMMENT ON AGGREGATE ate_clustered(float8, integer, integer) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a integer cluster';

CREATE AGGREGATE ate_blocked(y float8, treated bigint, block integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated bigint, cluster integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, bigint, integer) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a integer block';
COMMENT ON AGGREGATE ate_clustered(float8, bigint, integer) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a integer cluster';

CREATE AGGREGATE ate_blocked(y float8, treated boolean, block bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated boolean, cluster bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, boolean, bigint) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a bigint block';
COMMENT ON AGGREGATE ate_clustered(float8, boolean, bigint) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a bigint cluster';

CREATE AGGREGATE ate_blocked(y float8, treated smallint, block bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated smallint, cluster bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, smallint, bigint) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a bigint block';
COMMENT ON AGGREGATE ate_clustered(float8, smallint, bigint) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a bigint cluster';

CREATE AGGREGATE ate_blocked(y float8, treated integer, block bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated integer, cluster bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, integer, bigint) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a bigint block';
COMMENT ON AGGREGATE ate_clustered(float8, integer, bigint) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a bigint cluster';

CREATE AGGREGATE ate_blocked(y float8, treated bigint, block bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated bigint, cluster bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, bigint, bigint) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a bigint block';
COMMENT ON AGGREGATE ate_clustered(float8, bigint, bigint) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a bigint cluster';

CREATE AGGREGATE ate_blocked(y float8, treated boolean, block smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated boolean, cluster smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, boolean, smallint) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a smallint block';
COMMENT ON AGGREGATE ate_clustered(float8, boolean, smallint) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a smallint cluster';

CREATE AGGREGATE ate_blocked(y float8, treated smallint, block smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated smallint, cluster smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, smallint, smallint) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a smallint block';
COMMENT ON AGGREGATE ate_clustered(float8, smallint, smallint) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a smallint cluster';

CREATE AGGREGATE ate_blocked(y float8, treated integer, block smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated integer, cluster smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, integer, smallint) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a smallint block';
COMMENT ON AGGREGATE ate_clustered(float8, integer, smallint) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a smallint cluster';

CREATE AGGREGATE ate_blocked(y float8, treated bigint, block smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated bigint, cluster smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, bigint, smallint) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a smallint block';
COMMENT ON AGGREGATE ate_clustered(float8, bigint, smallint) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a smallint cluster';

CREATE AGGREGATE ate_blocked(y float8, treated boolean, block boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated boolean, cluster boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, boolean, boolean) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a boolean block';
COMMENT ON AGGREGATE ate_clustered(float8, boolean, boolean) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a boolean cluster';

CREATE AGGREGATE ate_blocked(y float8, treated smallint, block boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated smallint, cluster boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, smallint, boolean) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a boolean block';
COMMENT ON AGGREGATE ate_clustered(float8, smallint, boolean) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a boolean cluster';

CREATE AGGREGATE ate_blocked(y float8, treated integer, block boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated integer, cluster boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, integer, boolean) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a boolean block';
COMMENT ON AGGREGATE ate_clustered(float8, integer, boolean) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a boolean cluster';

CREATE AGGREGATE ate_blocked(y float8, treated bigint, block boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated bigint, cluster boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, bigint, boolean) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a boolean block';
COMMENT ON AGGREGATE ate_clustered(float8, bigint, boolean) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a boolean cluster';

CREATE AGGREGATE ate_blocked(y float8, treated boolean, block date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated boolean, cluster date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, boolean, date) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a date block';
COMMENT ON AGGREGATE ate_clustered(float8, boolean, date) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a date cluster';

CREATE AGGREGATE ate_blocked(y float8, treated smallint, block date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated smallint, cluster date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, smallint, date) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a date block';
COMMENT ON AGGREGATE ate_clustered(float8, smallint, date) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a date cluster';

CREATE AGGREGATE ate_blocked(y float8, treated integer, block date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated integer, cluster date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, integer, date) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a date block';
COMMENT ON AGGREGATE ate_clustered(float8, integer, date) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a date cluster';

CREATE AGGREGATE ate_blocked(y float8, treated bigint, block date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_blocked_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_clustered(y float8, treated bigint, cluster date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_ate_clustered_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE ate_blocked(float8, bigint, date) IS
    'blocked (stratified) difference in means, as estimatr::difference_in_means(blocks =), for a date block';
COMMENT ON AGGREGATE ate_clustered(float8, bigint, date) IS
    'difference in means with the CR2 standard error of estimatr::difference_in_means(clusters =), for a date cluster';
