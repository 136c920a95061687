// Pledge areas used when a template names none of its own (DOMAIN.md, seed 002).
export const DEFAULT_PLEDGE_AREAS = ['管理育人', '服务师生', '爱岗敬业', '为人师表', '关爱学生', '廉政勤政', '遵纪守法'];
