import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  BODY_PLACEHOLDER,
  formatAge,
  formatSize,
  humanDuration,
  imageRef,
  portLink,
  runCellSource,
  shellQuote
} from '../src/format';
import { highlightCell } from '../src/cellHighlight';
import { table } from './table';

test('sizes as docker shows them', () => {
  assert.equal(formatSize(0), '0B');
  assert.equal(formatSize(512), '512B');
  assert.equal(formatSize(4_270_000), '4.27MB');
  assert.equal(formatSize(1_000_000), '1MB');
  assert.equal(formatSize(123_456_789_012), '123GB');
});

test('ages as docker words them', () => {
  assert.equal(humanDuration(0), 'Less than a second');
  assert.equal(humanDuration(1), '1 second');
  assert.equal(humanDuration(59), '59 seconds');
  assert.equal(humanDuration(90), 'About a minute');
  assert.equal(humanDuration(600), '10 minutes');
  assert.equal(humanDuration(3600), 'About an hour');
  assert.equal(humanDuration(5 * 3600), '5 hours');
  assert.equal(humanDuration(3 * 86400), '3 days');
  assert.equal(humanDuration(21 * 86400), '3 weeks');
  assert.equal(humanDuration(90 * 86400), '3 months');
  assert.equal(humanDuration(800 * 86400), '2 years');
  assert.equal(formatAge(1000, 1600), '10 minutes ago');
  assert.equal(formatAge(2000, 1000), 'Less than a second ago');
});

test('port links', () => {
  assert.deepEqual(portLink({ ip: '0.0.0.0', private: 80, public: 8080, type: 'tcp' }, 'lab.example'), {
    text: '8080->80/tcp',
    href: 'http://lab.example:8080/'
  });
  assert.deepEqual(portLink({ ip: '127.0.0.1', private: 80, public: 9000, type: 'tcp' }, 'localhost'), {
    text: '127.0.0.1:9000->80/tcp',
    href: 'http://localhost:9000/'
  });
  assert.deepEqual(portLink({ ip: '10.1.2.3', private: 80, public: 81, type: 'tcp' }, 'h', 'https:').href, 'https://10.1.2.3:81/');
  assert.deepEqual(portLink({ ip: '', private: 53, public: null, type: 'udp' }, 'h'), { text: '53/udp', href: null });
  assert.equal(portLink({ ip: '0.0.0.0', private: 53, public: 53, type: 'udp' }, 'h').href, null);
});

test('run cell source', () => {
  assert.equal(runCellSource('busybox:latest'), `%%docker_run --rm busybox:latest\n${BODY_PLACEHOLDER}`);
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(imageRef({ tags: ['a:1', 'b:2'], short_id: 'abc' }), 'a:1');
  assert.equal(imageRef({ tags: [], short_id: 'abc' }), 'abc');
});

test('highlightCell: docker_run cells only, magic line and shell body', () => {
  assert.equal(highlightCell('x = 1\nprint("--rm")', table), null);
  assert.equal(highlightCell('', table), null);
  const text = '%%docker_run --rm busybox sh\necho $HOME # hi';
  const r = highlightCell(text, table)!;
  const spans = r.spans.map(s => [text.slice(s.from, s.to), s.cls]);
  assert.deepEqual(spans, [
    ['%%docker_run', 'rm-dr-magic'],
    ['--rm', 'rm-dr-flag'],
    ['busybox', 'rm-dr-image'],
    ['sh', 'rm-dr-command'],
    ['echo', 'rm-sh-builtin'],
    ['$HOME', 'rm-sh-variable'],
    ['# hi', 'rm-sh-comment']
  ]);
  assert.equal(r.magicLine, 0);
  assert.deepEqual(r.bodyLines, [text.indexOf('echo')]);
});
