/** Owner label written by the DS01 CLI and docker wrapper (authoritative since 2026-02). */
export const LABEL_DS01_USER = 'ds01.user';
/** Legacy AIME MLC owner label, DS01's fallback. */
export const LABEL_AIME_USER = 'aime.mlc.USER';
/** `"true"` on DS01-managed containers. */
export const LABEL_DS01_MANAGED = 'ds01.managed';
/** `"true"` on the DS01 monitoring stack. */
export const LABEL_DS01_MONITORING = 'ds01.monitoring';
/** `"true"` on containers non-admins may not touch; DS01's infrastructure label. */
export const LABEL_DS01_PROTECTED = 'ds01.protected';
/** Host folder a VS Code devcontainer was opened from. */
export const LABEL_DEVCONTAINER_FOLDER = 'devcontainer.local_folder';
/** Compose project name; its presence makes a container a compose container. */
export const LABEL_COMPOSE_PROJECT = 'com.docker.compose.project';
/** Folder `docker compose` ran in. */
export const LABEL_COMPOSE_WORKING_DIR = 'com.docker.compose.project.working_dir';
