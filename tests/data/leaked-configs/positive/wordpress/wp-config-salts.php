<?php
define('AUTH_KEY',         '#O+JcT@H+Hq(odE-vUF&0f!U.zpW c P{{1mL}Mw;T/3zWLA~8|25gF-KE&OU0Ek');
define('SECURE_AUTH_KEY',         'm;-5h!Kt9sbg9b-AjtbDV3,J7Y59r5<zF:a1ly kVg5kpYYr~DY&o57?o[#JP6h|');
