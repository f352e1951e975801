/**
 * The fictional demo district's raw material. Rates are near those of a mid-sized Colorado
 * district (CDE pupil membership, 2024-25): about a third Hispanic, 45% free/reduced lunch,
 * 14% with an IEP, Spanish the main home language after English.
 */
export const demoSchools = [
  { code: 'aspen-es', name: 'Aspen Elementary', level: 'elementary', grades: ['K', '1', '2', '3', '4', '5'], students: 600 },
  { code: 'lincoln-ms', name: 'Lincoln Middle School', level: 'middle', grades: ['6', '7', '8'], students: 420 },
  { code: 'sierra-vista-hs', name: 'Sierra Vista High School', level: 'high', grades: ['9', '10', '11', '12'], students: 480 },
] as const;

/** Home language (ISO 639-1) with its share of students and names common in families who speak it. */
export const languageGroups = [
  {
    language: 'en',
    share: 0.7,
    first: ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'James', 'Harper', 'Lucas', 'Amelia', 'Mason', 'Evelyn', 'Logan', 'Abigail', 'Ethan', 'Ella', 'Jackson', 'Avery', 'Aiden', 'Scarlett', 'Wyatt', 'Nora', 'Caleb', 'Hazel', 'Owen', 'Riley', 'Grayson', 'Layla', 'Jaylen', 'Imani', 'Darius', 'Aaliyah', 'Malik', 'Kiona', 'Tallulah'],
    last: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Carter', 'Begay', 'Yazzie'],
  },
  {
    language: 'es',
    share: 0.21,
    first: ['Sofía', 'Mateo', 'Valentina', 'Santiago', 'Camila', 'Diego', 'Isabella', 'Sebastián', 'Lucía', 'Alejandro', 'Ximena', 'Daniel', 'Mariana', 'Emiliano', 'Renata', 'Leonardo', 'Guadalupe', 'Jesús', 'Alondra', 'Ángel'],
    last: ['García', 'Martínez', 'Rodríguez', 'López', 'Hernández', 'González', 'Pérez', 'Sánchez', 'Ramírez', 'Torres', 'Flores', 'Rivera', 'Gómez', 'Díaz', 'Cruz', 'Morales', 'Reyes', 'Gutiérrez', 'Ortiz', 'Chávez'],
  },
  { language: 'vi', share: 0.03, first: ['Minh', 'Linh', 'Anh', 'Huy', 'Thảo', 'Khoa', 'Ngọc', 'Bảo'], last: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Võ'] },
  { language: 'ar', share: 0.02, first: ['Omar', 'Layla', 'Yusuf', 'Mariam', 'Ahmad', 'Noor', 'Khalid', 'Salma'], last: ['Haddad', 'Mansour', 'Khalil', 'Saleh', 'Nasser', 'Hassan'] },
  { language: 'so', share: 0.015, first: ['Hodan', 'Abdi', 'Ayaan', 'Farah', 'Hibaaq', 'Mahad'], last: ['Warsame', 'Ali', 'Mohamed', 'Jama', 'Abdullahi'] },
  { language: 'ru', share: 0.01, first: ['Anya', 'Dmitri', 'Katya', 'Pavel', 'Irina', 'Nikolai'], last: ['Ivanova', 'Petrov', 'Sokolov', 'Kuznetsova', 'Volkov'] },
  { language: 'zh', share: 0.01, first: ['Wei', 'Mei', 'Jun', 'Xiu', 'Hao', 'Lan'], last: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang'] },
  { language: 'ne', share: 0.005, first: ['Aarav', 'Sita', 'Bikash', 'Anisha'], last: ['Gurung', 'Tamang', 'Shrestha', 'Rai'] },
] as const;

/** The demo accounts: one per role, most of them at Lincoln Middle School. */
export const demoAccounts = [
  { email: 'admin@demo.haven.test', displayName: 'Dana Whitfield', role: 'district_admin', school: null },
  { email: 'schooladmin@demo.haven.test', displayName: 'Marcus Bell', role: 'school_admin', school: 'lincoln-ms' },
  { email: 'counselor@demo.haven.test', displayName: 'Elena Rivera', role: 'counselor', school: 'lincoln-ms' },
  { email: 'crisis@demo.haven.test', displayName: 'Sam Okafor', role: 'crisis_team', school: 'lincoln-ms' },
  { email: 'teacher@demo.haven.test', displayName: 'Priya Shah', role: 'staff', school: 'lincoln-ms' },
  { email: 'partner@demo.haven.test', displayName: 'Dr. Aaron Cho', role: 'partner', school: null },
  { email: 'analyst@demo.haven.test', displayName: 'Jordan Lee', role: 'analyst', school: null },
] as const;

export const demoPartnerName = 'Front Range Family Counseling';
