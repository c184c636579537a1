import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyContainer, DS01_INFRASTRUCTURE_NAMES } from './classify.ts';
import type { InspectedContainer } from './inspected-container.ts';
import { parseDockerInspect } from './parse-inspect.ts';
import { makeInspected } from './test-support.ts';

const FIXTURES = new URL('../../../test/fixtures/docker/', import.meta.url);
const load = (file: string): unknown => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'));
const DS01 = { infrastructureNames: [...DS01_INFRASTRUCTURE_NAMES], infrastructureLabel: 'ds01.protected' };
const classify = (overrides: Partial<InspectedContainer>) => classifyContainer(makeInspected(overrides), DS01);

describe('DS01_INFRASTRUCTURE_NAMES', () => {
  it('is the DS01 monitoring list', () => {
    expect(DS01_INFRASTRUCTURE_NAMES).toEqual(['ds01-prometheus', 'ds01-grafana', 'ds01-alertmanager', 'ds01-dcgm-exporter', 'ds01-node-exporter']);
  });
});

describe('classifyContainer on fixtures', () => {
  it('synthetic owners fixture', () => {
    const { containers } = parseDockerInspect(load('synthetic__owners__docker_inspect.json'));
    const got = Object.fromEntries(containers.map((c) => [c.name, classifyContainer(c, DS01)]));
    expect(got['thesis._.1001']).toEqual({ class: 'managed', protected: false });
    expect(got['legacy-mlc._.1002']).toEqual({ class: 'managed', protected: false });
    expect(got['pytorch._.1001']).toEqual({ class: 'managed', protected: false });
    expect(got['vsc-thesis-3f2a1b']).toEqual({ class: 'devcontainer', protected: false });
    expect(got['dreamy_hopper']).toEqual({ class: 'devcontainer', protected: false });
    expect(got['carol-train']).toEqual({ class: 'docker', protected: false });
    expect(got['stack_worker_1']).toEqual({ class: 'compose', protected: false });
    expect(got['app-trainer-1']).toEqual({ class: 'compose', protected: false });
    expect(got['ds01-prometheus']).toEqual({ class: 'infrastructure', protected: true });
    expect(got['ds01-dcgm-exporter']).toEqual({ class: 'infrastructure', protected: true });
    expect(got['lonely']).toEqual({ class: 'docker', protected: false });
  });

  it('real compose v2 files are compose; the others docker', () => {
    const of = (file: string) => classifyContainer(parseDockerInspect(load(file)).containers[0]!, DS01).class;
    expect(of('watchtower__container_net_supplier__compose.json')).toBe('compose');
    expect(of('watchtower__container_net_consumer__compose_netmode_container.json')).toBe('compose');
    expect(of('watchtower__container_watchtower.json')).toBe('docker');
    expect(of('watchtower__container_running__portainer_mounts.json')).toBe('docker');
  });
});

describe('classifyContainer rules and precedence', () => {
  it('infrastructure: ds01.monitoring, the configured label, or a listed name', () => {
    expect(classify({ labels: { 'ds01.monitoring': 'true' } })).toEqual({ class: 'infrastructure', protected: true });
    expect(classify({ labels: { 'ds01.protected': 'TRUE ' } })).toEqual({ class: 'infrastructure', protected: true });
    expect(classify({ name: 'ds01-grafana' })).toEqual({ class: 'infrastructure', protected: true });
    expect(classify({ labels: { 'ds01.monitoring': 'false' } }).class).toBe('managed');
  });

  it('infrastructure beats managed, devcontainer and compose', () => {
    const c = classify({
      name: 'ds01-node-exporter',
      labels: { 'ds01.user': 'alice', 'devcontainer.metadata': '[]', 'com.docker.compose.project': 'monitoring' },
    });
    expect(c.class).toBe('infrastructure');
  });

  it('a custom infrastructure label; ds01.protected still protects without being infrastructure', () => {
    const site = { infrastructureNames: ['gpu-exporter'], infrastructureLabel: 'site.infra' };
    expect(classifyContainer(makeInspected({ labels: { 'site.infra': 'true' } }), site)).toEqual({ class: 'infrastructure', protected: true });
    expect(classifyContainer(makeInspected({ name: 'gpu-exporter' }), site).class).toBe('infrastructure');
    expect(classifyContainer(makeInspected({ name: 'ds01-grafana' }), site).class).toBe('docker');
    expect(classifyContainer(makeInspected({ labels: { 'ds01.protected': 'true' } }), site)).toEqual({ class: 'managed', protected: true });
    expect(classifyContainer(makeInspected({ labels: { 'site.infra': 'true' } }), { ...site, infrastructureLabel: '' }).class).toBe('docker');
  });

  it('managed: ds01.managed, any ds01.* or aime.mlc.* label, a ._. name, a ds01 cgroup parent', () => {
    expect(classify({ labels: { 'ds01.managed': 'true' } }).class).toBe('managed');
    expect(classify({ labels: { 'ds01.gpu.uuid': 'GPU-x' } }).class).toBe('managed');
    expect(classify({ labels: { 'aime.mlc.NAME': 'x' } }).class).toBe('managed');
    expect(classify({ labels: { 'aime.mlc': 'x' } }).class).toBe('managed');
    expect(classify({ name: 'thesis._.1001' }).class).toBe('managed');
    expect(classify({ cgroupParent: 'ds01-student-alice.slice' }).class).toBe('managed');
    expect(classify({ cgroupParent: '/ds01.slice/ds01-student.slice' }).class).toBe('managed');
    expect(classify({ cgroupParent: 'system.slice' }).class).toBe('docker');
    expect(classify({ labels: { 'ds01x.user': 'a', 'aime.mlcx': 'b' } }).class).toBe('docker');
  });

  it('managed beats devcontainer beats compose', () => {
    expect(classify({ name: 'vsc-x', labels: { 'ds01.user': 'a' } }).class).toBe('managed');
    expect(classify({ labels: { 'devcontainer.config_file': '/x', 'com.docker.compose.project': 'p' } }).class).toBe('devcontainer');
  });

  it('devcontainer: any devcontainer.* label or a vsc-/vscode- name', () => {
    expect(classify({ labels: { 'devcontainer.metadata': '[]' } }).class).toBe('devcontainer');
    expect(classify({ name: 'vsc-thesis-abc' }).class).toBe('devcontainer');
    expect(classify({ name: 'vscode-remote' }).class).toBe('devcontainer');
    expect(classify({ name: 'my-vsc-thing' }).class).toBe('docker');
  });

  it('compose: the project label; else docker', () => {
    expect(classify({ labels: { 'com.docker.compose.project': 'p' } }).class).toBe('compose');
    expect(classify({ labels: { 'com.docker.compose.service': 's' } }).class).toBe('docker');
  });

  it('never throws on malformed containers or options', () => {
    for (const junk of [null, undefined, 3, 'x', [], {}, { labels: null, name: 5 }, { labels: { 'ds01.monitoring': 1 } }]) {
      expect(classifyContainer(junk as unknown as InspectedContainer, DS01)).toEqual({ class: 'docker', protected: false });
    }
    expect(classifyContainer(makeInspected(), null as unknown as typeof DS01)).toEqual({ class: 'docker', protected: false });
  });
});
