/** Word lists for the seeded tenant. Mixed origins on purpose: real directories are. */
export const FIRST_NAMES = [
  'Adele', 'Alex', 'Allan', 'Amara', 'Ana', 'Andrea', 'Anil', 'Anna', 'Ben', 'Bianca', 'Bruno', 'Carla', 'Carlos',
  'Chen', 'Chloé', 'Christie', 'Daniel', 'Debra', 'Diego', 'Dmitri', 'Elif', 'Elena', 'Emily', 'Enrico', 'Fatima',
  'Felix', 'Fiona', 'François', 'Gabriel', 'Grady', 'Hana', 'Hannah', 'Henrietta', 'Hiroshi', 'Ines', 'Isaiah',
  'Ivan', 'Jakob', 'Jana', 'Javier', 'Johanna', 'Joni', 'José', 'Kai', 'Karin', 'Kenji', 'Lars', 'Laura', 'Lee',
  'Leila', 'Lidia', 'Lynne', 'Magnus', 'Maria', 'Marta', 'Megan', 'Miriam', 'Mohammed', 'Nestor', 'Nia', 'Nora',
  'Olga', 'Omar', 'Patti', 'Paul', 'Pedro', 'Pradeep', 'Priya', 'Quentin', 'Rafael', 'Raul', 'Rosa', 'Sakura',
  'Samir', 'Sara', 'Sofia', 'Søren', 'Stefan', 'Tanja', 'Tomás', 'Uma', 'Valentina', 'Victor', 'Wei', 'Yara',
  'Yusuf', 'Zoë', 'Zygmunt',
] as const;

export const LAST_NAMES = [
  'Abbott', 'Adeyemi', 'Alvarez', 'Andersen', 'Bauer', 'Becker', 'Bianchi', 'Brown', 'Castillo', 'Chen', 'Costa',
  'Dubois', 'Eriksson', 'Fernández', 'Fischer', 'García', 'Gupta', 'Hansen', 'Hoffmann', 'Ito', 'Ivanova', 'Jensen',
  'Johnson', 'Kim', 'Kowalski', 'Kumar', 'Larsen', 'Lefèvre', 'Lopez', 'Müller', 'Martin', 'Moreau', 'Nakamura',
  'Nguyen', 'Novak', "O'Brien", 'Okafor', 'Olsen', 'Patel', 'Peretti', 'Petrov', 'Popescu', 'Rossi', 'Santos',
  'Schmidt', 'Schneider', 'Silva', 'Singh', 'Smith', 'Suzuki', 'Svensson', 'Tanaka', 'Taylor', 'Van der Berg',
  'Wagner', 'Wang', 'Weber', 'Williams', 'Wilson', 'Yilmaz', 'Zhang', 'Zimmermann',
] as const;

export const DEPARTMENTS = [
  'Sales', 'Marketing', 'Engineering', 'Support', 'Finance', 'Human Resources', 'Legal', 'Operations', 'IT',
  'Research', 'Procurement', 'Executive',
] as const;

export const JOB_TITLES = [
  'Account Manager', 'Analyst', 'Architect', 'Consultant', 'Designer', 'Director', 'Engineer', 'Coordinator',
  'Manager', 'Specialist', 'Team Lead', 'Technician', 'Vice President', 'Assistant',
] as const;

export const OFFICES = ['Berlin 1.01', 'Berlin 2.14', 'London 3/12', 'Madrid B-4', 'Paris 5e', 'Redmond 18/2110', 'Tokyo 7F', 'Remote'] as const;

export const COMPANIES = ['Fabrikam', 'Northwind Traders', 'Tailspin Toys', 'Wide World Importers', 'Adventure Works', 'Litware'] as const;

export const SHARED_MAILBOXES = [
  'Support', 'Reception', 'Sales Desk', 'Accounts Payable', 'Facilities', 'Press Office', 'Helpdesk', 'Recruiting',
] as const;

export const EVENT_SUBJECTS = [
  'Weekly sync', 'Customer call', '1:1', 'Quarterly review', 'Design review', 'Lunch', 'Training', 'Planning',
  'Interview', 'Vacation', 'Offsite', 'Focus time',
] as const;
