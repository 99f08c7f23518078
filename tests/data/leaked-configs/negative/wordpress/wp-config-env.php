<?php
define( 'DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD') );
define( 'AUTH_KEY', getenv('WORDPRESS_AUTH_KEY') );
