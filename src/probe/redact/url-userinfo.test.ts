import { describe, expect, it } from 'vitest';
import { maskUrlUserinfo } from './url-userinfo.ts';

describe('maskUrlUserinfo', () => {
  it.each([
    ['postgres://alice:hunter2@db.lab:5432/runs', 'postgres://alice:***@db.lab:5432/runs'],
    ['--db=postgresql://ml:p@ss@w0rd@10.0.0.5/x', '--db=postgresql://ml:***@10.0.0.5/x'],
    ['https://ghp_abc123@github.com/org/repo.git', 'https://***@github.com/org/repo.git'],
    ['redis://:s3cret@cache:6379/0', 'redis://:***@cache:6379/0'],
    ['http://u:p@a/x,http://v:q@b/y', 'http://u:***@a/x,http://v:***@b/y'],
    ['mongodb+srv://admin:Zx9@cluster0.example.net/?retryWrites=true', 'mongodb+srv://admin:***@cluster0.example.net/?retryWrites=true'],
  ])('%s → %s', (input, expected) => {
    expect(maskUrlUserinfo(input)).toEqual({ text: expected, masked: true });
  });

  it.each([
    's3://mlflow-artifacts/experiments/3',
    'http://mlflow.lab:5000',
    'https://example.org/path/with@sign',
    'https://example.org/?mail=a@b.c',
    'user@host:/data',
    'plain text',
    'http://:@host/',
  ])('leaves %s alone', (input) => {
    expect(maskUrlUserinfo(input)).toEqual({ text: input, masked: false });
  });

  it('is idempotent and says an already-masked URL was masked', () => {
    expect(maskUrlUserinfo('postgres://alice:***@db/x')).toEqual({ text: 'postgres://alice:***@db/x', masked: true });
    expect(maskUrlUserinfo('https://***@github.com/x')).toEqual({ text: 'https://***@github.com/x', masked: true });
  });
});

describe('maskUrlUserinfo, more shapes', () => {
  it('uppercase schemes, IPv6 hosts, several URLs in one argument and a URL inside a longer value', () => {
    expect(maskUrlUserinfo('HTTPS://u:p@[::1]:8443/x').text).toBe('HTTPS://u:***@[::1]:8443/x');
    expect(maskUrlUserinfo('a=http://u:p@h1/x;b=ftp://v:q@h2').text).toBe('a=http://u:***@h1/x;b=ftp://v:***@h2');
    expect(maskUrlUserinfo('--uri=mysql+pymysql://root:toor@db:3306/mlflow?charset=utf8').text).toBe('--uri=mysql+pymysql://root:***@db:3306/mlflow?charset=utf8');
  });

  it('a scheme with nothing after it, or a bare @ host, is left alone', () => {
    expect(maskUrlUserinfo('http://')).toEqual({ text: 'http://', masked: false });
    expect(maskUrlUserinfo('s3://@bucket/k')).toEqual({ text: 's3://@bucket/k', masked: false });
  });
});
