import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  BODY_PLACEHOLDER,
  formatAge,
  formatSize,
  humanDuration,
  imageRef,
  portLink,
  engineDownLine,
  engineLine,
  runCellSource,
  terminalCellSource,
  shellQuote
} from '../src/format';
import { highlightCell } from '../src/cellHighlight';
import { magics } from './table';

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

test('port links: the host port first, the link the server chose', () => {
  assert.deepEqual(portLink({ ip: '0.0.0.0', private: 80, public: 8080, type: 'tcp', url: '/proxy/8080/' }), {
    text: '8080->80/tcp',
    href: '/proxy/8080/'
  });
  assert.deepEqual(portLink({ ip: '127.0.0.1', private: 80, public: 9000, type: 'tcp', url: 'http://127.0.0.1:9000/' }), {
    text: '127.0.0.1:9000->80/tcp',
    href: 'http://127.0.0.1:9000/'
  });
  assert.deepEqual(portLink({ ip: '::1', private: 80, public: 81, type: 'tcp', url: null }).text, '[::1]:81->80/tcp');
  assert.deepEqual(portLink({ ip: '', private: 53, public: null, type: 'udp' }), { text: '53/udp', href: null });
  assert.equal(portLink({ ip: '0.0.0.0', private: 53, public: 53, type: 'udp', url: null }).href, null);
});

test('engine outage line', () => {
  assert.equal(
    engineDownLine('no Docker engine answers at unix:///nowhere.sock'),
    'no Docker engine answers at unix:///nowhere.sock; retrying'
  );
});

test('run cell source', () => {
  assert.equal(runCellSource('busybox:latest'), `%%docker_run --rm busybox:latest\n${BODY_PLACEHOLDER}`);
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(imageRef({ tags: ['a:1', 'b:2'], short_id: 'abc' }), 'a:1');
  assert.equal(imageRef({ tags: [], short_id: 'abc' }), 'abc');
});

test('highlightCell: a docker_run cell: magic line and shell body', () => {
  assert.equal(highlightCell('x = 1\nprint("--rm")', magics), null);
  assert.equal(highlightCell('x = "%docker_run -d busybox"', magics), null);
  assert.equal(highlightCell('', magics), null);
  const text = '%%docker_run --rm busybox sh\necho $HOME # hi';
  const r = highlightCell(text, magics)!;
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
  assert.equal(r.cellMagic, true);
  assert.deepEqual(r.magicLines, [0]);
  assert.deepEqual(r.bodyLines, [text.indexOf('echo')]);
});

test('highlightCell: line magics in a Python cell', () => {
  const text = 'import os\nweb = %docker_run -d -p 127.0.0.1::80 busybox httpd\n%docker_logs --tail 5 web\nprint(web)';
  const r = highlightCell(text, magics)!;
  assert.equal(r.cellMagic, false);
  assert.deepEqual(r.magicLines, [text.indexOf('web ='), text.indexOf('%docker_logs')]);
  assert.deepEqual(r.bodyLines, []);
  const spans = r.spans.map(s => [text.slice(s.from, s.to), s.cls]);
  assert.deepEqual(spans, [
    ['%docker_run', 'rm-dr-magic'],
    ['-d', 'rm-dr-flag'],
    ['-p', 'rm-dr-flag'],
    ['127.0.0.1::80', 'rm-dr-value'],
    ['busybox', 'rm-dr-image'],
    ['httpd', 'rm-dr-command'],
    ['%docker_logs', 'rm-dr-magic'],
    ['--tail', 'rm-dr-flag'],
    ['5', 'rm-dr-value'],
    ['web', 'rm-dr-arg']
  ]);
});

test('an Open terminal cell execs a shell in the container, its name quoted for the line', () => {
  assert.equal(terminalCellSource('web'), '%docker_exec -it web sh');
  assert.equal(terminalCellSource("it's"), `%docker_exec -it 'it'\\''s' sh`);
});

test('the side panels name the engine, and say when it is not the default one', () => {
  assert.equal(engineLine({ description: 'unix:///var/run/docker.sock', default: true }), 'engine: unix:///var/run/docker.sock');
  assert.equal(
    engineLine({ description: "tcp://10.0.0.7:2376 (context 'box')", default: false }),
    "engine: tcp://10.0.0.7:2376 (context 'box') (not the default engine)"
  );
});

test('highlightCell: a companion cell magic: its line by its table, its body left plain', () => {
  const text = '%%docker_build --rm -t demo --bogus .\nFROM busybox\nRUN echo hi';
  const r = highlightCell(text, magics)!;
  assert.deepEqual(r.spans.map(s => [text.slice(s.from, s.to), s.cls]), [
    ['%%docker_build', 'rm-dr-magic'],
    ['--rm', 'rm-dr-flag'],
    ['-t', 'rm-dr-flag'],
    ['demo', 'rm-dr-value'],
    ['--bogus', 'rm-dr-unknown-flag'],
    ['.', 'rm-dr-arg']
  ]);
  assert.equal(r.cellMagic, true);
  assert.deepEqual(r.bodyLines, [text.indexOf('FROM'), text.indexOf('RUN')]);
});

test('highlightCell: a group\'s line magic: subcommand and its flags', () => {
  const text = 'vols = %docker_volume ls -q --filter dangling=true';
  const r = highlightCell(text, magics)!;
  assert.deepEqual(r.spans.map(s => [text.slice(s.from, s.to), s.cls]), [
    ['%docker_volume', 'rm-dr-magic'],
    ['ls', 'rm-dr-subcommand'],
    ['-q', 'rm-dr-flag'],
    ['--filter', 'rm-dr-flag'],
    ['dangling=true', 'rm-dr-value']
  ]);
});
