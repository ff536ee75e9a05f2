export const MIRRORS: readonly string[] = [
  'https://registry.pkgfeed.example',
  'https://eu.mirror.pkgfeed.example',
  'https://203.0.113.40:8443',
];

export const CHANGELOG_HOST = 'changelogs.pkgfeed.example';
