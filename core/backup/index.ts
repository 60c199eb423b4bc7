/** Backups of a whole installation (`ruche backup`, `ruche restore`, the scheduled backup job). */
export { createBackup, type BackupSource, type BackupResult, type Progress } from './create';
export { restoreBackup, checkBackup, type RestoreTarget, type RestoreOptions, type RestoreResult } from './restore';
export { BackupRefused, type Manifest } from './manifest';
export { archivePath, knownOwners, stampedName } from './names';
export { scheduledBackup, scheduledBackupJob } from './scheduled';
