-- Every object of the extension has a comment (sql/parts/90_comments.sql):
-- each member (aggregate overload, function, result type) and each column of
-- each composite result type.  The support functions (hte_*) say they are
-- internal, and nothing else does.

CREATE TEMP VIEW hte_members AS
SELECT d.classid, d.objid,
       pg_describe_object(d.classid, d.objid, 0) AS object,
       CASE WHEN d.classid = 'pg_type'::regclass THEN 'type'
            WHEN p.prokind = 'a' THEN 'aggregate'
            WHEN p.proname LIKE 'hte\_%' THEN 'internal function'
            ELSE 'function' END AS kind,
       c.description
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hte'
LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
LEFT JOIN pg_description c
       ON c.classoid = d.classid AND c.objoid = d.objid AND c.objsubid = 0
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  -- not a type's implicit array type (hte_ate[], ...), which PostgreSQL 17
  -- and later also list as a member: every major counts the same objects
  AND NOT (d.classid = 'pg_type'::regclass AND
           EXISTS (SELECT 1 FROM pg_type elem WHERE elem.typarray = d.objid));

CREATE TEMP VIEW hte_columns AS
SELECT format('%s.%s', t.typname, a.attname) AS object, c.description
FROM hte_members m
JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid AND t.typtype = 'c'
JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_description c
       ON c.classoid = 'pg_class'::regclass AND c.objoid = t.typrelid AND c.objsubid = a.attnum;

-- (a) members without a comment: none
SELECT object AS uncommented_member FROM hte_members
WHERE description IS NULL ORDER BY object;

-- (b) result-type columns without a comment: none
SELECT object AS uncommented_column FROM hte_columns
WHERE description IS NULL ORDER BY object;

-- support functions whose comment does not say they are internal, and
-- user-facing objects whose comment says they are: none
SELECT object AS misleading_comment FROM hte_members
WHERE (kind = 'internal function') <> (description LIKE 'internal:%')
ORDER BY object;

-- (c) commented objects by kind
SELECT kind, count(description) AS commented, count(*) AS total
FROM hte_members GROUP BY kind
UNION ALL
SELECT 'result-type column', count(description), count(*) FROM hte_columns
ORDER BY kind;
