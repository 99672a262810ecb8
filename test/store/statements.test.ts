// Reused prepared statements on SQLite: the same SQL text gets the same statement, a statement still
// being iterated is never handed out twice, and the cache stays bounded.
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { reusingStatements } from '../../src/store/db.ts';

describe('reusingStatements', () => {
  const open = () => {
    const raw = new SQLite(':memory:');
    raw.exec('create table t (n integer); insert into t values (1), (2), (3);');
    return raw;
  };

  it('hands out the same statement for the same SQL, and its results stay right', () => {
    const db = reusingStatements(open());
    const a = db.prepare('select n from t where n > ? order by n');
    const b = db.prepare('select n from t where n > ? order by n');
    expect(b).toBe(a);
    expect(a.all([1])).toEqual([{ n: 2 }, { n: 3 }]);
    expect(b.all([2])).toEqual([{ n: 3 }]);
    db.prepare('insert into t values (?)').run([4]);
    expect(db.prepare('select count(*) as c from t').all([])).toEqual([{ c: 4 }]);
    db.close();
  });

  it('a statement being iterated is not reused: the second query gets its own', () => {
    const db = reusingStatements(open());
    const sql = 'select n from t order by n';
    const first = db.prepare(sql);
    const it1 = first.iterate([]);
    expect(it1.next().value).toEqual({ n: 1 });
    const second = db.prepare(sql);
    expect(second).not.toBe(first);
    expect(second.all([])).toHaveLength(3);
    expect([...it1]).toEqual([{ n: 2 }, { n: 3 }]);
    db.close();
  });

  it('keeps at most `max` statements, dropping the least recently used', () => {
    const db = reusingStatements(open(), 2);
    const a = db.prepare('select 1');
    const b = db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(a); // now b is the oldest
    db.prepare('select 3');
    expect(db.prepare('select 1')).toBe(a);
    expect(db.prepare('select 2')).not.toBe(b);
    db.close();
  });
});
