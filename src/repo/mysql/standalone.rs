//! roster's standalone schema in MariaDB's dialect.

/// roster's standalone schema as Directus 11 lays these tables out on MariaDB:
/// `utf8mb4_general_ci` text (so email and token uniqueness ignore case, accents
/// and trailing spaces, as on a Directus database), json as checked text, booleans
/// as tinyint(1), `timestamp` columns. In creation order (foreign keys).
pub const STANDALONE: [(&str, &str); 8] = [
    (
        "directus_roles",
        "CREATE TABLE directus_roles (id char(36) NOT NULL, name varchar(100) NOT NULL,
  icon varchar(64) NOT NULL DEFAULT 'supervised_user_circle', description text DEFAULT NULL,
  parent char(36) DEFAULT NULL, PRIMARY KEY (id),
  CONSTRAINT directus_roles_parent_foreign FOREIGN KEY (parent) REFERENCES directus_roles (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_policies",
        "CREATE TABLE directus_policies (id char(36) NOT NULL, name varchar(100) NOT NULL,
  icon varchar(64) NOT NULL DEFAULT 'badge', description text DEFAULT NULL, ip_access text DEFAULT NULL,
  enforce_tfa tinyint(1) NOT NULL DEFAULT 0, admin_access tinyint(1) NOT NULL DEFAULT 0,
  app_access tinyint(1) NOT NULL DEFAULT 0, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_users",
        "CREATE TABLE directus_users (id char(36) NOT NULL, first_name varchar(50) DEFAULT NULL,
  last_name varchar(50) DEFAULT NULL, email varchar(128) DEFAULT NULL, password varchar(255) DEFAULT NULL,
  location varchar(255) DEFAULT NULL, title varchar(50) DEFAULT NULL, description text DEFAULT NULL,
  tags longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(tags)),
  avatar char(36) DEFAULT NULL, language varchar(255) DEFAULT NULL, tfa_secret varchar(255) DEFAULT NULL,
  status varchar(16) NOT NULL DEFAULT 'active', role char(36) DEFAULT NULL, token varchar(255) DEFAULT NULL,
  last_access timestamp NULL DEFAULT NULL, last_page varchar(255) DEFAULT NULL,
  provider varchar(128) NOT NULL DEFAULT 'default', external_identifier varchar(255) DEFAULT NULL,
  auth_data longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(auth_data)),
  email_notifications tinyint(1) DEFAULT 1, appearance varchar(255) DEFAULT NULL,
  theme_dark varchar(255) DEFAULT NULL, theme_light varchar(255) DEFAULT NULL,
  theme_light_overrides longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(theme_light_overrides)),
  theme_dark_overrides longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(theme_dark_overrides)),
  company varchar(255) DEFAULT NULL, timezone varchar(64) DEFAULT NULL, PRIMARY KEY (id),
  UNIQUE KEY directus_users_external_identifier_unique (external_identifier),
  UNIQUE KEY directus_users_email_unique (email), UNIQUE KEY directus_users_token_unique (token),
  KEY directus_users_role_foreign (role),
  CONSTRAINT directus_users_role_foreign FOREIGN KEY (role) REFERENCES directus_roles (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_access",
        "CREATE TABLE directus_access (id char(36) NOT NULL, role char(36) DEFAULT NULL,
  \"user\" char(36) DEFAULT NULL, policy char(36) NOT NULL, sort int(11) DEFAULT NULL, PRIMARY KEY (id),
  CONSTRAINT directus_access_policy_foreign FOREIGN KEY (policy) REFERENCES directus_policies (id) ON DELETE CASCADE,
  CONSTRAINT directus_access_role_foreign FOREIGN KEY (role) REFERENCES directus_roles (id) ON DELETE CASCADE,
  CONSTRAINT directus_access_user_foreign FOREIGN KEY (\"user\") REFERENCES directus_users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_settings",
        "CREATE TABLE directus_settings (id int(10) unsigned NOT NULL AUTO_INCREMENT,
  project_name varchar(100) NOT NULL DEFAULT 'Directus', auth_login_attempts int(10) unsigned DEFAULT 25,
  auth_password_policy varchar(100) DEFAULT NULL, default_language varchar(255) NOT NULL DEFAULT 'en-US',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_sessions",
        "CREATE TABLE directus_sessions (token varchar(64) NOT NULL, \"user\" char(36) DEFAULT NULL,
  expires timestamp NOT NULL, ip varchar(255) DEFAULT NULL, user_agent text DEFAULT NULL,
  share char(36) DEFAULT NULL, origin varchar(255) DEFAULT NULL, next_token varchar(64) DEFAULT NULL,
  PRIMARY KEY (token),
  CONSTRAINT directus_sessions_user_foreign FOREIGN KEY (\"user\") REFERENCES directus_users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_activity",
        "CREATE TABLE directus_activity (id int(10) unsigned NOT NULL AUTO_INCREMENT,
  action varchar(45) NOT NULL, \"user\" char(36) DEFAULT NULL,
  timestamp timestamp NOT NULL DEFAULT current_timestamp(), ip varchar(50) DEFAULT NULL,
  user_agent text DEFAULT NULL, collection varchar(64) NOT NULL, item varchar(255) NOT NULL,
  origin varchar(255) DEFAULT NULL, PRIMARY KEY (id), KEY directus_activity_collection_foreign (collection)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_revisions",
        "CREATE TABLE directus_revisions (id int(10) unsigned NOT NULL AUTO_INCREMENT,
  activity int(10) unsigned NOT NULL, collection varchar(64) NOT NULL, item varchar(255) NOT NULL,
  data longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(data)),
  delta longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(delta)),
  parent int(10) unsigned DEFAULT NULL, version char(36) DEFAULT NULL, PRIMARY KEY (id),
  CONSTRAINT directus_revisions_activity_foreign FOREIGN KEY (activity) REFERENCES directus_activity (id) ON DELETE CASCADE,
  CONSTRAINT directus_revisions_parent_foreign FOREIGN KEY (parent) REFERENCES directus_revisions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
];
