import { describe, it, expect } from 'vitest';
import { GIT_DANGEROUS_OPTIONS, gitPolicy, gitReadOnly } from '../../src/policy/git.js';

/** The refusal reason, or a test failure when the args are allowed. */
function reasonFor(args: readonly string[]): string {
  const verdict = gitReadOnly(args);
  expect(verdict, `expected ${JSON.stringify(args)} to be refused`).not.toBe(true);
  expect(typeof verdict).toBe('string');
  return verdict as string;
}

describe('gitReadOnly allows read-only commands', () => {
  it.each([
    [['status']],
    [['log', '--oneline', '-5']],
    [['diff', '--stat']],
    [['show', 'HEAD']],
    [['rev-parse', '--abbrev-ref', 'HEAD']],
    [['log', '--format=%H %s', '--', 'src/']],
  ])('allows %j', (args) => {
    expect(gitReadOnly(args)).toBe(true);
  });

  it('allows options that merely look like dangerous ones', () => {
    expect(gitReadOnly(['diff', '--no-ext-diff'])).toBe(true);
    expect(gitReadOnly(['diff', '--output-indicator-new=x'])).toBe(true);
    expect(gitReadOnly(['diff', '--output-indicator-old=y', '--output-indicator-context=z'])).toBe(true);
  });

  it('allows anything after --, which git reads as paths', () => {
    expect(gitReadOnly(['log', '--', '--output=/tmp/x'])).toBe(true);
    expect(gitReadOnly(['diff', '--', '-c', '--ext-diff', '--upload-pack=evil'])).toBe(true);
  });
});

describe('gitReadOnly refuses', () => {
  it('empty args', () => {
    expect(reasonFor([])).toContain('subcommand is required');
  });

  it('a subcommand that writes or talks to a remote', () => {
    expect(reasonFor(['push'])).toContain('"push" is not allowed');
    for (const subcommand of ['fetch', 'pull', 'commit', 'checkout', 'reset', 'config', 'clone', 'submodule', 'filter-branch']) {
      reasonFor([subcommand]);
    }
  });

  it('a global option before the subcommand', () => {
    reasonFor(['-c', 'core.sshCommand=evil', 'status']);
    reasonFor(['-ccore.pager=evil', 'log']);
    reasonFor(['--git-dir=/elsewhere', 'status']);
    reasonFor(['-C', '/elsewhere', 'status']);
    reasonFor(['--exec-path=/tmp', 'status']);
  });

  it('-c after the subcommand', () => {
    expect(reasonFor(['status', '-c', 'core.sshCommand=evil'])).toContain('"-c"');
  });

  it('--upload-pack on fetch and on log', () => {
    reasonFor(['fetch', '--upload-pack=evil']);
    expect(reasonFor(['log', '--upload-pack=evil'])).toContain('--upload-pack');
  });

  it('--exec', () => {
    expect(reasonFor(['log', '--exec=evil'])).toContain('--exec');
  });

  it('--output, which writes a file', () => {
    expect(reasonFor(['diff', '--output=/tmp/x'])).toContain('--output');
    reasonFor(['diff', '--output', '/tmp/x']);
  });

  it('--ext-diff, which runs the configured diff program', () => {
    reasonFor(['diff', '--ext-diff']);
    reasonFor(['show', '--ext-diff', 'HEAD']);
  });

  it('abbreviations git would expand to a dangerous option', () => {
    expect(reasonFor(['log', '--upload-pa=evil'])).toContain('--upload-pack');
    expect(reasonFor(['diff', '--out=/tmp/x'])).toContain('--output');
    reasonFor(['diff', '--ext-d']);
    reasonFor(['log', '--exe=evil']);
  });

  it('a dangerous option anywhere before --', () => {
    reasonFor(['log', '--oneline', 'HEAD~3..HEAD', '--output=/tmp/x', '--', 'src']);
  });

  it.each(GIT_DANGEROUS_OPTIONS.map((option) => [option]))('%s after an allowed subcommand', (option) => {
    reasonFor(['log', option]);
    reasonFor(['log', option.startsWith('--') ? `${option}=value` : `${option}value`]);
  });
});

describe('gitPolicy', () => {
  it('allows only the given subcommands', () => {
    const statusOnly = gitPolicy(['status']);
    expect(statusOnly(['status', '--short'])).toBe(true);
    expect(statusOnly(['log'])).toContain('not allowed (allowed: status)');
  });

  it('still refuses dangerous options for a custom subcommand list', () => {
    const fetchOnly = gitPolicy(['fetch']);
    expect(fetchOnly(['fetch', 'origin'])).toBe(true);
    expect(fetchOnly(['fetch', '--upload-pack=evil'])).not.toBe(true);
  });
});

describe('gitReadOnly refuses reading files outside the repository', () => {
  it.each([
    [['diff', '--no-index', '/etc/passwd', '/dev/null']],
    [['blame', '--contents', '/etc/passwd', 'README.md']],
    [['blame', '--contents=/etc/passwd', 'README.md']],
  ])('%j', (args) => {
    expect(gitReadOnly(args)).toMatch(/is not allowed/);
  });
});
