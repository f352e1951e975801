/**
 * The districts feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 * It grows as imports from elsewhere move here from the feature's inner files (issue 17).
 */

export { addDistrict, addSchool, findDistrictBySlug } from './districts.service.ts';
export { districtTimeZone } from './time-zone.service.ts';
